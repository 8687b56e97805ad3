using System.Diagnostics;

namespace AsymNet.Tests.Experiments.Jobs;

/// <summary>Starts the asym CLI built beside the tests as a separate process (for kill and Slurm tests).</summary>
public static class AsymProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "asym.dll");

    public static ProcessStartInfo Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        return info;
    }

    /// <summary>Starts `asym args`, kills it (the whole process tree, as kill -9) once <paramref name="jobsDir"/> holds a
    /// finished job file, and returns the job files left behind; fails if the run ended before it could be killed.</summary>
    public static string[] KillAfterFirstJob(IEnumerable<string> args, string jobsDir)
    {
        using (var p = Process.Start(Start(args))!)
        {
            var clock = Stopwatch.StartNew();
            while (!(Directory.Exists(jobsDir) && Directory.GetFiles(jobsDir, "*.json").Length >= 1) && !p.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3))
                Thread.Sleep(20);
            Assert.False(p.HasExited, "the run ended before it could be killed");
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        return Directory.GetFiles(jobsDir, "*.json");
    }

    /// <summary>Runs a command to its end; (exit code, stdout + stderr).</summary>
    public static (int Code, string Output) Run(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        int timeoutSeconds = 300)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeoutSeconds} s");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
