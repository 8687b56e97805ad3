using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AsymNet.Data;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Zoo;
using AsymNet.NN.Models;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>`asym zoo`: trains zoos of ResNet8s (standard, W-Asym, σ-Asym) with per-network random hyperparameters (paper Table 3's data).</summary>
public static class ZooCommand
{
    public static Command Create()
    {
        var options = new ZooOptions("standard,w");
        var cmd = new Command("zoo", "Train model zoos of ResNet8s (standard, W-Asym, σ-Asym) with the paper's per-network random hyperparameters; one safetensors per network, zoo.csv (docs/zoo.md).");
        options.AddTo(cmd);
        cmd.Subcommands.Add(ZooStatsCommand.Create());
        cmd.SetAction(parse =>
        {
            ZooRecipe recipe;
            Shard shard;
            try
            {
                recipe = options.Recipe(parse);
                shard = options.Shard(parse);
            }
            catch (ArgumentException e)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
                return 2;
            }
            var folder = parse.GetValue(options.Out) ?? DefaultFolder(recipe);
            if (options.Jobs.WantsSlurm(parse)) return options.SubmitToSlurm(parse, new ZooExperiment(recipe, folder));
            return Run(recipe, folder, shard, DataDirOption.Resolve(parse, options.DataDir), parse.GetValue(options.PlanOnly), parse.GetValue(options.PlanJson),
                TrainRunner.CommandLine(parse));
        });
        return cmd;
    }

    public static string DefaultFolder(ZooRecipe r) =>
        Path.Combine("runs", $"zoo-{r.Dataset}-{r.Scale.ToString().ToLowerInvariant()}{(r.Seed == 0 ? "" : $"-s{r.Seed}")}");

    private static int Run(ZooRecipe recipe, string folder, Shard shard, DataPaths paths, bool planOnly, bool json, string commandLine)
    {
        using var ctrlC = new CtrlC();
        return CommandErrors.Guard("zoo", json, () =>
        {
            var networks = $"{recipe.Networks:N0} network(s) × [{string.Join(", ", recipe.Variants.Select(v => v.ToString().ToLowerInvariant()))}]";
            var plan = new ZooExperiment(recipe, folder).Plan(shard, recipe.Shape(), recipe.StepsPerEpoch);
            if (planOnly && json)
                return PaperSteps.PrintPlan(ZooExperiment.ExperimentName, Path.GetFullPath(folder), plan.Pending.Count, plan.Finished, plan.EstimatedSeconds ?? 0,
                    $"{networks} ResNet8s on {recipe.Dataset}, {recipe.StepsPerEpoch} steps per epoch", JsonSerializer.SerializeToNode(recipe, ZooJson.Options));
            Console.WriteLine($"asym zoo: {recipe.Scale.ToString().ToLowerInvariant()} scale → {Path.GetFullPath(folder)}");
            Console.WriteLine($"  {recipe.Describe()}");
            Console.WriteLine($"  {networks}, seed {recipe.Seed}, shard {shard}.");
            Console.WriteLine(PlanLine(plan, recipe));
            if (planOnly) return 0;
            var experiment = new ZooExperiment(recipe, folder, new ZooData(recipe, paths));
            var start = DateTime.UtcNow;
            var result = JobEngine.Run(experiment, new JobRunOptions
            {
                CommandLine = commandLine, Shard = shard, Cancel = ctrlC.Token,
                OnEvent = PrintEvent(plan.Total),
            });
            var hours = (DateTime.UtcNow - start).TotalHours;
            var ok = result.Finished.Where(r => !r.Diverged).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Ran} network(s) trained ({(hours > 0 && result.Ran > 0 ? result.Ran / hours : 0):0} networks/hour), {result.Skipped} already finished, " +
                $"{result.Finished.Count(r => r.Diverged)} diverged, {result.Failed.Count} failed, {result.Missing.Count} missing; {ZooFolder.ZooCsvFile} in {result.RunDir}."));
            foreach (var g in ok.GroupBy(r => r.Variant))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {g.Key.ToString().ToLowerInvariant(),-8} {g.Count(),5} networks: mean train accuracy {100 * g.Average(r => r.TrainAccuracy):0.0}%, test {100 * g.Average(r => r.TestAccuracy):0.0}%"));
            return result.Failed.Count > 0 ? 1 : 0;
        }, $"interrupted; finished networks are kept in {Path.GetFullPath(folder)}: run the same command again to resume.");
    }

    /// <summary>One line per finished or failed job.</summary>
    public static Action<JobEvent> PrintEvent(int total) => e =>
    {
        if (e is JobFinished f) Console.WriteLine($"  [{f.Index + 1}/{total}] {f.Name}: {f.Description}");
        else if (e is JobFailed x) Console.WriteLine($"  {x.Name}: FAILED ({x.Error})");
    };

    public static string PlanLine(ZooPlan plan, ZooRecipe recipe)
    {
        var estimate = plan.EstimatedSeconds is { } s
            ? string.Create(CultureInfo.InvariantCulture, $", estimated {Duration(s)} of training on this machine ({s * Environment.ProcessorCount / 3600:0.#} CPU-hours) from measured steps")
            : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"  {plan.Pending.Count:N0} network(s) to train ({recipe.StepsPerEpoch} steps per epoch){(plan.Finished > 0 ? $", {plan.Finished:N0} already finished" : "")}{estimate}.");
    }

    public static string Duration(double seconds) => seconds switch
    {
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0.#} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0.#} h"),
    };
}
