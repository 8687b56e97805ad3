namespace AsymNet.Experiments.Jobs;

/// <summary>What a run of one shard will do: its jobs still to run and its jobs already finished in the folder
/// (indices into the experiment's job list), of <paramref name="Total"/> jobs in all shards.</summary>
public sealed record JobPlan<TJob>(IReadOnlyList<(int Index, TJob Job)> Pending, IReadOnlyList<(int Index, TJob Job)> Finished, int Total, Shard Shard);

/// <summary>The outcome of an engine run or collect: every finished result in the folder in job order (other shards'
/// and earlier runs' included), what this run did, and the jobs not finished yet (with the error of those that failed).</summary>
public sealed record JobRunResult<TResult>(
    string RunDir,
    IReadOnlyList<TResult> Finished,
    int Ran,
    int Skipped,
    IReadOnlyList<string> Missing,
    IReadOnlyList<(string Job, string Error)> Failed,
    TimeSpan Wall)
{
    public bool Complete => Missing.Count == 0;
}

/// <summary>How the engine runs a job list.</summary>
public sealed record JobRunOptions
{
    /// <summary>Recorded in the manifest (the command that reproduces the run).</summary>
    public string CommandLine { get; init; } = "asym";

    /// <summary>Jobs side by side (default: the threading policy's; see <see cref="Runs.IndependentRuns"/>).</summary>
    public int? Parallel { get; init; }

    public Shard Shard { get; init; } = Shard.All;

    public CancellationToken Cancel { get; init; }

    public Action<JobEvent>? OnEvent { get; init; }
}
