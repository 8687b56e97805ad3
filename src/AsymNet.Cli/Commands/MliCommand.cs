using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsymNet.Data;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Mli;
using AsymNet.Experiments.Zoo;
using AsymNet.NN.Models;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>`asym mli`: monotonic linear interpolation from initialisation to trained weights (paper Table 4, Figure 5).</summary>
public static class MliCommand
{
    public static Command Create()
    {
        var options = new ZooOptions("standard,sigma,w");
        var points = new Option<int>("--points") { Description = "Points α = linspace(0, 1, P) of each curve.", DefaultValueFactory = _ => 25 };
        var zoo = new Option<string?>("--zoo") { Description = "Measure the networks of an existing zoo folder (asym zoo or asym mli; needs its init/ θ₀ files) instead of training new ones." };
        var cmd = new Command("mli", "Monotonic linear interpolation θ₀ → θ_T of standard, σ-Asym and W-Asym ResNet8s trained with the zoo recipe (paper Table 4, Figure 5).");
        options.AddTo(cmd);
        cmd.Options.Add(points);
        cmd.Options.Add(zoo);
        cmd.SetAction(parse =>
        {
            MliRecipe recipe;
            Shard shard;
            try
            {
                var zooDir = parse.GetValue(zoo);
                recipe = zooDir is null
                    ? MliRecipe.Resolve(options.ScaleOf(parse), parse.GetValue(options.Seed), parse.GetValue(options.Networks), parse.GetValue(options.Dataset),
                        parse.GetValue(options.TrainSize), parse.GetValue(options.TestSize), ZooRecipe.ParseVariants(parse.GetValue(options.Variants)!), parse.GetValue(points))
                    : FromZoo(zooDir, parse.GetValue(points), parse.GetValue(options.Networks));
                shard = options.Shard(parse);
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or JsonException)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
                return 2;
            }
            var folder = parse.GetValue(options.Out) ?? Path.Combine("runs", $"mli-{recipe.Zoo.Dataset}-{recipe.Zoo.Scale.ToString().ToLowerInvariant()}{(recipe.Zoo.Seed == 0 ? "" : $"-s{recipe.Zoo.Seed}")}");
            if (options.Jobs.WantsSlurm(parse)) return options.SubmitToSlurm(parse, new MliExperiment(recipe, folder));
            return Run(recipe, folder, shard, DataDirOption.Resolve(parse, options.DataDir), parse.GetValue(options.PlanOnly), parse.GetValue(options.PlanJson),
                TrainRunner.CommandLine(parse));
        });
        return cmd;
    }

    /// <summary>The recipe for measuring an existing zoo: its zoo recipe (recipe.json of asym zoo or asym mli), its variants and networks from zoo.csv.</summary>
    public static MliRecipe FromZoo(string dir, int points, int? networks)
    {
        var path = Path.Combine(dir, JobEngine.RecipeFile);
        if (!File.Exists(path)) throw new IOException($"{path} is missing: --zoo needs a folder made by asym zoo or asym mli.");
        var node = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty.");
        var zooNode = node["zoo"] ?? node;
        var zooRecipe = zooNode.Deserialize<ZooRecipe>(ZooJson.Options) ?? throw new InvalidDataException($"{path} holds no zoo recipe.");
        var rows = new ZooFolder(dir).ReadZooCsv();
        var variants = new[] { Variant.Standard, Variant.Sigma, Variant.W }.Where(v => rows.Any(r => r.Variant == v)).ToList();
        if (variants.Count == 0) throw new InvalidDataException($"{Path.Combine(dir, ZooFolder.ZooCsvFile)} lists no networks.");
        var recipe = MliRecipe.Resolve(zooRecipe.Scale, points: points) with
        {
            Zoo = zooRecipe with { Networks = networks ?? rows.Max(r => r.Index) + 1, Variants = variants },
            ZooDir = Path.GetFullPath(dir),
        };
        return recipe;
    }

    private static int Run(MliRecipe recipe, string folder, Shard shard, DataPaths paths, bool planOnly, bool json, string commandLine)
    {
        using var ctrlC = new CtrlC();
        return CommandErrors.Guard("mli", json, () =>
        {
            var z = recipe.Zoo;
            var networks = $"{z.Networks:N0} network(s) × [{string.Join(", ", z.Variants.Select(v => v.ToString().ToLowerInvariant()))}], {recipe.Points} points per curve";
            var probe = new MliExperiment(recipe, folder);
            var plan = JobEngine.Plan(probe, shard);
            // Training (none when the networks come from a zoo folder) and every curve's evaluations.
            var estimate = ZooTiming.Estimate(z, z.Shape(), recipe.ZooDir is null ? z.StepsPerEpoch : 0, [.. plan.Pending.Select(p => p.Job)], recipe.CurveSteps);
            if (planOnly && json) return PaperSteps.PrintPlan(probe.Name, Path.GetFullPath(folder), plan.Pending.Count, plan.Finished.Count, estimate, $"{networks} on {z.Dataset}");
            Console.WriteLine($"asym mli: {z.Scale.ToString().ToLowerInvariant()} scale → {Path.GetFullPath(folder)}");
            Console.WriteLine(recipe.ZooDir is null ? $"  {z.Describe()}" : $"  networks of the zoo {recipe.ZooDir}");
            Console.WriteLine($"  {networks}, shard {shard}.");
            var finished = plan.Finished.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $", {plan.Finished.Count:N0} already finished") : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {plan.Pending.Count:N0} network(s) to run{finished}, estimated {ZooCommand.Duration(estimate)} on this machine{(recipe.ZooDir is null ? " (training and curves)" : " (curves)")}."));
            if (planOnly) return 0;
            var experiment = new MliExperiment(recipe, folder, new ZooData(z, paths));
            var result = JobEngine.Run(experiment, new JobRunOptions { CommandLine = commandLine, Shard = shard, Cancel = ctrlC.Token, OnEvent = ZooCommand.PrintEvent(plan.Total) });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Ran} network(s) run, {result.Skipped} already finished, {result.Failed.Count} failed, {result.Missing.Count} missing, {result.Wall.TotalMinutes:0.0} min."));
            if (shard.IsAll && File.Exists(Path.Combine(result.RunDir, MliReport.SummaryFile)))
                Console.WriteLine(File.ReadAllText(Path.Combine(result.RunDir, MliReport.SummaryFile)));
            return result.Failed.Count > 0 ? 1 : 0;
        }, $"interrupted; finished networks are kept in {Path.GetFullPath(folder)}: run the same command again to resume.");
    }
}
