using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>Writes tables full width when the output goes to a file or pipe (Spectre would wrap at 80 columns).</summary>
public static class TableOutput
{
    public static void Write(Table table)
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        AnsiConsole.Write(table);
    }
}
