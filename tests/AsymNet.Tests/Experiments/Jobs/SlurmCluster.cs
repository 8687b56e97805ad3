using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AsymNet.Tests.Experiments.Jobs;

/// <summary>
/// A real single-node Slurm cluster for the tests' lifetime, started and stopped by scripts/slurm-cluster.sh in a
/// private state folder on two free ports of its own, so it ends only the daemons it started and never meets another
/// test run's cluster.
/// </summary>
public sealed partial class SlurmCluster : IDisposable
{
    private readonly Dictionary<string, string> _settings;

    public SlurmCluster()
    {
        Dir = Path.Combine(Path.GetTempPath(), "asym-slurm-test-" + Guid.NewGuid().ToString("N")[..8]);
        _settings = new Dictionary<string, string>
        {
            ["ASYM_SLURM_DIR"] = Dir, ["ASYM_SLURM_CTLD_PORT"] = FreePort(), ["ASYM_SLURM_D_PORT"] = FreePort(),
        };
        var (code, output) = AsymProcess.Run(Script, ["start"], _settings, timeoutSeconds: 60);
        if (code != 0) throw new InvalidOperationException($"scripts/slurm-cluster.sh start failed (run scripts/setup.sh --test to install Slurm):\n{output}");
        Environment = new Dictionary<string, string>(_settings) { ["SLURM_CONF"] = Path.Combine(Dir, "slurm.conf") };
    }

    public string Dir { get; }

    /// <summary>A port nothing listens on now (the kernel's pick for port 0), above Slurm's usual 6817/6818.</summary>
    private static string FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>What a client process needs (SLURM_CONF).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public static string Script
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "AsymNet.slnx"))) return Path.Combine(d.FullName, "scripts", "slurm-cluster.sh");
            throw new FileNotFoundException("the repository root (AsymNet.slnx) was not found above the test binaries");
        }
    }

    /// <summary>The job ids that `asym … --slurm` printed: (array, collect).</summary>
    public static (string Array, string Collect) SubmittedIds(string output)
    {
        var m = SubmittedPattern().Match(output);
        Assert.True(m.Success, $"no job ids in the output:\n{output}");
        return (m.Groups[1].Value, m.Groups[2].Value);
    }

    [GeneratedRegex(@"Submitted array job (\d+) .* collect job (\d+)")]
    private static partial Regex SubmittedPattern();

    /// <summary>squeue's lines "jobid state" for the given ids (array tasks as id_index).</summary>
    public IReadOnlyList<(string Id, string State)> Queue(params string[] ids)
    {
        var (_, output) = AsymProcess.Run("squeue", ["-h", "-r", "-o", "%i %t", "-j", string.Join(',', ids)], Environment, 30);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' '))
            .Where(p => p.Length == 2 && char.IsAsciiDigit(p[0][0]))
            .Select(p => (p[0], p[1]))];
    }

    public void WaitUntilGone(TimeSpan timeout, params string[] ids)
    {
        var clock = Stopwatch.StartNew();
        while (Queue(ids).Count > 0)
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"Slurm jobs {string.Join(',', ids)} still queued after {timeout}");
            Thread.Sleep(250);
        }
    }

    public void Dispose()
    {
        AsymProcess.Run(Script, ["stop"], _settings, timeoutSeconds: 60);
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
    }
}
