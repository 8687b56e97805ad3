using Spectre.Console;

namespace AsymNet.Cli;

/// <summary>
/// How asym writes: colours only on a terminal and without NO_COLOR (https://no-color.org); when standard output is a
/// file or pipe, plain lines that a log can keep (no colours, no wrapping, no progress redraws). Errors and warnings
/// go to standard error, prefixed with the command.
/// </summary>
public static class Terminal
{
    public const string NoColorVariable = "NO_COLOR";

    /// <summary>Set to 1 to print the stack trace of an unexpected error.</summary>
    public const string DebugVariable = "ASYM_DEBUG";

    /// <summary>Line width when nothing should wrap (Spectre needs a width; no line of asym's is this long).</summary>
    private const int NoWrapWidth = 4096;

    /// <summary>True when standard output is a terminal: live progress bars are drawn.</summary>
    public static bool Interactive { get; private set; }

    public static bool NoColor => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(NoColorVariable));

    /// <summary>Binds Spectre.Console to the current Console.Out with this process's settings (called first by Main).</summary>
    public static void Configure()
    {
        var redirected = Console.IsOutputRedirected;
        Interactive = !redirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected || NoColor ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (redirected) console.Profile.Width = NoWrapWidth;
        AnsiConsole.Console = console;
    }

    /// <summary>"asym &lt;command&gt;: message" on standard error.</summary>
    public static void Error(string command, string message) => Console.Error.WriteLine($"{Prefix(command)}: {message}");

    public static void Warning(string command, string message) => Console.Error.WriteLine($"{Prefix(command)}: warning: {message}");

    private static string Prefix(string command) => command.Length == 0 ? "asym" : $"asym {command}";
}
