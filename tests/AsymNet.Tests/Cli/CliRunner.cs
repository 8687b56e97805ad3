using System.Text.Json;
using AsymNet.Cli;

namespace AsymNet.Tests.Cli;

/// <summary>Tests that capture the CLI's standard output run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}

public static class CliRunner
{
    /// <summary>Runs `asym args` in-process and returns the exit code and the last JSON object it printed.</summary>
    public static (int Code, JsonElement? Json) Json(params string[] args)
    {
        var old = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(captured);
        int code;
        try
        {
            code = Program.Main(args);
        }
        finally
        {
            Console.SetOut(old);
        }
        var line = captured.ToString().Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'));
        return (code, line is null ? null : JsonDocument.Parse(line).RootElement.Clone());
    }
}
