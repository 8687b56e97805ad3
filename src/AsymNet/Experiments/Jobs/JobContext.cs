namespace AsymNet.Experiments.Jobs;

/// <summary>What a running job gets from the engine: its index, cancellation, and a channel for its own progress
/// (delivered to the run's listener one event at a time as <see cref="JobProgress"/>).</summary>
public sealed class JobContext(int index, string name, CancellationToken cancel, Action<JobEvent>? listener)
{
    public int Index { get; } = index;
    public string Name { get; } = name;
    public CancellationToken Cancel { get; } = cancel;

    /// <summary>Reports an experiment-specific progress payload (an epoch, a curve point…).</summary>
    public void Report(object payload) => listener?.Invoke(new JobProgress(Index, Name, payload));
}
