using System.Text.Json;
using AsymNet.Data;

namespace AsymNet.Cli.Commands;

/// <summary>
/// The one mapping from what went wrong to an exit code and a message (docs/cli.md): usage errors 2, failures of the
/// work 1, Ctrl+C 130. With --json the error is also printed as one JSON object on standard output.
/// </summary>
public static class CommandErrors
{
    /// <summary>Runs a command's body; an expected error becomes its message on standard error and its exit code.
    /// <paramref name="interrupted"/> replaces the Ctrl+C message (e.g. where the finished work is kept).</summary>
    public static int Guard(string command, bool json, Func<int> body, string? interrupted = null)
    {
        try
        {
            return body();
        }
        catch (OperationCanceledException)
        {
            Terminal.Error(command, interrupted ?? "interrupted.");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (CodeOf(e) is { } code)
        {
            if (json) Console.WriteLine(JsonSerializer.Serialize(new { status = "error", message = e.Message, exit_code = code }));
            Terminal.Error(command, e.Message);
            return code;
        }
    }

    /// <summary>
    /// Usage for a value the command line got wrong (the library throws ArgumentException for those, before any file
    /// is written); failure for data, files, checkpoints and downloads; null for anything else (a bug).
    /// </summary>
    public static int? CodeOf(Exception e) => e switch
    {
        UsageException or ArgumentException => ExitCodes.Usage,
        DatasetNotFoundException or DataFormatException or DownloadException or IOException or InvalidDataException or InvalidOperationException
            or UnauthorizedAccessException or HttpRequestException => ExitCodes.Failure,
        _ => null,
    };
}
