namespace AsymNet.Data;

/// <summary>
/// The one error every AsymNet file reader throws for bad input (truncated, corrupt or hostile files).
/// The message always names the file, where in it the problem is (byte offset or line) and what was expected.
/// </summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string file, string location, string problem, Exception? inner = null)
        : base($"{file}: {location}: {problem}", inner)
    {
        File = file;
        Location = location;
        Problem = problem;
    }

    /// <summary>The file (or archive entry) that is wrong.</summary>
    public string File { get; }

    /// <summary>Where in the file, e.g. "byte 16" or "line 3, field 2".</summary>
    public string Location { get; }

    /// <summary>What was found and what was expected.</summary>
    public string Problem { get; }

    public static DataFormatException AtByte(string file, long offset, string problem, Exception? inner = null) =>
        new(file, $"byte {offset}", problem, inner);

    public static DataFormatException AtLine(string file, long line, string problem, Exception? inner = null) =>
        new(file, $"line {line}", problem, inner);

    public static DataFormatException Whole(string file, string problem, Exception? inner = null) =>
        new(file, "whole file", problem, inner);
}
