using System.CommandLine;
using AsymNet.Tensors;

namespace AsymNet.Cli.Commands;

/// <summary>
/// The global <c>--threads auto|N|runs[:N]</c> option and the start-up step that turns it (or ASYM_THREADS) into
/// the process's <see cref="ThreadingPolicy"/> before any command runs.
/// </summary>
public static class ThreadsOption
{
    public static Option<string?> Create() => new("--threads")
    {
        Description = $"Threading policy: auto (BLAS uses every core), N (BLAS threads), runs or runs:N (independent runs in " +
                      $"parallel, single-threaded BLAS). Default: ${ThreadingPolicy.Variable}, else auto.",
        Recursive = true,
    };

    /// <summary>Configures the policy (which also picks the BLAS, honouring ASYM_BLAS); an error message or null.</summary>
    public static string? Apply(ParseResult parse, Option<string?> option)
    {
        try
        {
            var text = parse.GetValue(option);
            ThreadingPolicy.Configure(text is null
                ? ThreadingPolicy.FromEnvironment()
                : ThreadingPolicy.Parse(text, Environment.ProcessorCount, "--threads"));
            return null;
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            return e.Message;
        }
    }
}
