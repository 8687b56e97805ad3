using System.CommandLine;
using AsymNet.Experiments;

namespace AsymNet.Cli.Commands;

/// <summary>`asym collect RUN`: rebuilds a sharded run's tables and figures from its job files and names what is missing.</summary>
public static class CollectCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("run-folder") { Description = "A run folder written by an experiment (directly, by --shard, or by --slurm)." };
        var cmd = new Command("collect",
            $"Rebuild an experiment's tables and figures from every finished job in a run folder (after all shards are done); " +
            $"exit code 0 when every job is finished, 1 when some are missing or failed. Experiments: {string.Join(", ", ExperimentCatalog.Names)}.")
        {
            folder,
        };
        cmd.SetAction(parse => CommandErrors.Guard("collect", json: false, () =>
        {
            var outcome = ExperimentCatalog.Collect(parse.GetValue(folder)!, TrainRunner.CommandLine(parse));
            Console.WriteLine($"{outcome.Experiment} run {outcome.RunDir}: {outcome.Finished} job(s) finished, {outcome.Missing.Count} missing.");
            if (outcome.Headline.Length > 0) Console.WriteLine(outcome.Headline);
            JobCliOptions.WriteMissing(outcome.Missing, outcome.Failed);
            return outcome.Complete ? ExitCodes.Success : ExitCodes.Failure;
        }));
        return cmd;
    }
}
