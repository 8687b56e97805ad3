using System.CommandLine;

namespace AsymNet.Cli.Commands;

/// <summary>`asym data`: the dataset catalog and downloads.</summary>
public static class DataCommand
{
    public static Command Create()
    {
        var cmd = new Command("data", "Datasets: list what is installed, fetch the rest.");
        cmd.Subcommands.Add(DataListCommand.Create());
        cmd.Subcommands.Add(DataFetchCommand.Create());
        return cmd;
    }
}
