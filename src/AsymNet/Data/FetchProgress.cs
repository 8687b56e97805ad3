namespace AsymNet.Data;

public enum FetchStage { Downloading, Verifying, Unpacking, Validating, Done }

/// <summary>A progress report of <see cref="Fetcher"/>: stage, file, bytes done and (when known) total.</summary>
public readonly record struct FetchProgress(string Dataset, FetchStage Stage, string File, long Done, long? Total);
