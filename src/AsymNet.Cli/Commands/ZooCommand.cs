using System.CommandLine;

namespace AsymNet.Cli.Commands;

/// <summary>`asym zoo`: model zoos of ResNet8s (the metanetworks' data). Subcommands live in their own files.</summary>
public static class ZooCommand
{
    public static Command Create() => new("zoo", "Model zoos: trained networks with their accuracies (the metanetworks' data).")
    {
        ZooStatsCommand.Create(),
    };
}
