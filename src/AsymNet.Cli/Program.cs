using System.CommandLine;
using System.CommandLine.Help;
using AsymNet.Cli.Commands;

namespace AsymNet.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        Terminal.Configure();
        var root = new RootCommand("asym: W-Asymmetric and σ-Asymmetric networks, and the experiments of " +
                                   "\"The Empirical Impact of Neural Parameter Symmetries, or Lack Thereof\".\n\n" + ExitCodes.Help);
        var threads = ThreadsOption.Create();
        root.Options.Add(threads);
        root.Subcommands.Add(InfoEnvCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(RebasinCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(LmcCommand.Create());
        root.Subcommands.Add(ZooCommand.Create());
        root.Subcommands.Add(MliCommand.Create());
        root.Subcommands.Add(MetanetCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(BnnCommand.Create());
        root.Subcommands.Add(CollectCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(PaperCommand.Create());
        ConfigureHelp(root);
        var parse = root.Parse(args);
        var command = CommandPath(parse);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) Terminal.Error(command, error.Message);
            Console.Error.WriteLine($"Run '{string.Join(' ', new[] { "asym", command, "--help" }.Where(w => w.Length > 0))}' for the options.");
            return ExitCodes.Usage;
        }
        if (ThreadsOption.Apply(parse, threads) is { } threadsError)
        {
            Terminal.Error(command, threadsError);
            return ExitCodes.Usage;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (CommandErrors.CodeOf(e) is { } code)
        {
            Terminal.Error(command, e.Message);
            return code;
        }
        catch (Exception e)
        {
            var debug = Environment.GetEnvironmentVariable(Terminal.DebugVariable) == "1";
            Terminal.Error(command, $"unexpected error ({e.GetType().Name}): {e.Message}" +
                                    (debug ? "\n" + e : $" Please report it; {Terminal.DebugVariable}=1 prints the stack trace."));
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// A command that only groups others (bare `asym`, `asym data`) prints its help and succeeds; help is not wrapped
    /// when it goes to a file or pipe.
    /// </summary>
    private static void ConfigureHelp(RootCommand root)
    {
        var help = (HelpAction)root.Options.OfType<HelpOption>().Single().Action!;
        if (Console.IsOutputRedirected) help.MaxWidth = int.MaxValue;
        foreach (var command in new[] { root }.Concat(root.Subcommands).Where(c => c.Subcommands.Count > 0 && c.Action is null))
            command.SetAction(parse => help.Invoke(parse));
    }

    /// <summary>"train", "data fetch": the command as typed, for messages.</summary>
    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent) names.Insert(0, r.Command.Name);
        return string.Join(' ', names);
    }
}
