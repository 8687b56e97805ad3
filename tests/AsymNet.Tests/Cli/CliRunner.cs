using System.Diagnostics;
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
        var (code, output, _) = Run(args);
        var line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'));
        return (code, line is null ? null : JsonDocument.Parse(line).RootElement.Clone());
    }

    /// <summary>Runs `asym args` in-process; the exit code, standard output and standard error.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (output, error) = (new StringWriter(), new StringWriter());
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            return (Program.Main(args), output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    /// <summary>Runs the built asym.dll in a child process with its output piped (as in `asym … | tee log`).</summary>
    public static (int Code, string Out, string Err) Subprocess(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "asym.dll");
        Assert.True(File.Exists(dll), $"The CLI assembly is missing next to the tests: {dll}.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "asym did not finish within 60 s.");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
