namespace AsymNet.Cli;

/// <summary>A command line that cannot run as given (exit code 2); thrown before anything is written.</summary>
public sealed class UsageException(string message) : Exception(message);
