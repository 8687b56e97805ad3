using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using AsymNet.Symmetry.Matching;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// Linear assignment of n×n uniform [0, 1) float64 costs (minimisation), in solves per second: AsymNet's
/// <see cref="LinearAssignment"/> against SciPy's linear_sum_assignment. Both sides cycle through 8 fixed
/// matrices (difficulty varies between matrices).
/// </summary>
public sealed class LapWorkload(int n) : IBenchWorkload
{
    private Func<double>? _solve;

    public string Name => $"lap-{n}";
    public string Description => $"linear assignment {n}×{n} uniform float64";
    public string Unit => "solves/s";
    public string? AsymUnavailable => null;
    public bool TriesThreadSettings => false;

    public BenchSample RunAsym(BenchOptions options)
    {
        var solve = _solve ??= MatchingWorkloads.LinearAssignmentUniform(n, options.Seed + 1);
        for (var i = 0; i < 8; i++) solve(); // warm-up: JIT and pooled buffers
        var (calls, seconds) = Repeat(() => solve(), options.MinSeconds);
        return new BenchSample(calls / seconds, null, "Jonker–Volgenant", string.Create(CultureInfo.InvariantCulture, $"{1e3 * seconds / calls:F2} ms/solve"));
    }

    public IReadOnlyList<JsonObject> TorchRequests(BenchOptions options) =>
        [new JsonObject { ["op"] = "lap", ["n"] = n, ["seed"] = (long)options.Seed + 1, ["min_seconds"] = options.MinSeconds }];

    /// <summary>Calls <paramref name="run"/> until at least <paramref name="minSeconds"/> have passed.</summary>
    internal static (int Calls, double Seconds) Repeat(Action run, double minSeconds)
    {
        var calls = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            run();
            calls++;
        } while (clock.Elapsed.TotalSeconds < minSeconds);
        return (calls, clock.Elapsed.TotalSeconds);
    }
}
