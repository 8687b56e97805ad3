using System.CommandLine;
using AsymNet.Cli.Commands;

namespace AsymNet.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("asym: W-Asymmetric and sigma-Asymmetric networks, and the experiments of " +
                                   "\"The Empirical Impact of Neural Parameter Symmetries, or Lack Thereof\".");
        root.Subcommands.Add(InfoEnvCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        return root.Parse(args).Invoke();
    }
}
