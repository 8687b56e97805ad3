using System.Text.Json.Nodes;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Runs;

/// <summary>
/// manifest.json of a run folder: what ran (experiment, command line, full config, seeds), on what and from which
/// commit (<see cref="ComputeEnvironment"/>: CPU, SIMD width, BLAS, threads, .NET, git commit), when and for how
/// long, and how it ended (status and headline results).
/// </summary>
public sealed record RunManifest
{
    public required string Experiment { get; init; }
    public required string CommandLine { get; init; }
    public required JsonNode? Config { get; init; }
    public required IReadOnlyDictionary<string, ulong> Seeds { get; init; }
    public required ComputeEnvironment Environment { get; init; }
    public required DateTimeOffset Start { get; init; }
    public DateTimeOffset? End { get; init; }
    public double? WallSeconds { get; init; }

    /// <summary>running, completed, diverged, cancelled or failed.</summary>
    public string Status { get; init; } = "running";

    public JsonNode? Results { get; init; }
}
