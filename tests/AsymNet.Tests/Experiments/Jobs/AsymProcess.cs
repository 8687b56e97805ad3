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
