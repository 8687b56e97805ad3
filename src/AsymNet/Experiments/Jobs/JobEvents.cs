namespace AsymNet.Experiments.Jobs;

/// <summary>Progress of an engine run, for the command line (delivered one at a time, from any worker thread).</summary>
public abstract record JobEvent(int Index, string Name);

public sealed record JobStarted(int Index, string Name, int Position, int Count) : JobEvent(Index, Name);

/// <summary>An experiment's own progress payload from inside a job.</summary>
public sealed record JobProgress(int Index, string Name, object Payload) : JobEvent(Index, Name);

public sealed record JobFinished(int Index, string Name, object Result, bool Diverged, string Description, double Seconds) : JobEvent(Index, Name);

public sealed record JobFailed(int Index, string Name, string Error) : JobEvent(Index, Name);
