using System.CommandLine;
using AsymNet.Cli.Commands;

namespace AsymNet.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("asym: W-Asymmetric and sigma-Asymmetric networks, and the experiments of " +
                                   "\"The Empirical Impact of Neural Parameter Symmetries, or Lack Thereof\".");
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
        var parse = root.Parse(args);
        if (parse.Errors.Count == 0 && ThreadsOption.Apply(parse, threads) is { } error)
        {
            Console.Error.WriteLine($"asym: {error}");
            return 2;
        }
        return parse.Invoke();
    }
}
