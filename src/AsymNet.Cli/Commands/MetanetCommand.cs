using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Metanet;
using AsymNet.Experiments.Zoo;
using AsymNet.NN.Models;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>`asym metanet --zoo DIR`: the metanetworks of the paper's Table 3 on a zoo, into a resumable run folder.</summary>
public static class MetanetCommand
{
    public static Command Create()
    {
        var zoo = new Option<string>("--zoo") { Description = "Zoo folder (zoo.csv and networks/; made by `asym zoo` or tools/import_zoo.py).", Required = true };
        var metanets = new Option<string>("--metanets") { Description = "Comma-separated: mlp, dmc, deepsets, statnn.", DefaultValueFactory = _ => "mlp,dmc,deepsets,statnn" };
        var variants = new Option<string?>("--variants") { Description = "Comma-separated zoo variants (standard, w, sigma); default: every variant in the zoo." };
        var lrs = new Option<string?>("--lrs") { Description = "Learning-rate grid, comma-separated (default the paper's 1e-5,1e-4,5e-4,1e-3,5e-3,1e-2); one rate skips the selection." };
        var runs = new Option<int>("--runs") { Description = "Seeded runs at the chosen rate.", DefaultValueFactory = _ => 5 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per run.", DefaultValueFactory = _ => 50 };
        var batch = new Option<int>("--batch-size") { Description = "Networks per batch.", DefaultValueFactory = _ => 128 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the split, inits and data orders.", DefaultValueFactory = _ => 0UL };
        var outDir = new Option<string?>("--out") { Description = "Run folder (default runs/metanet-<zoo folder name>[-s<seed>]). A rerun skips finished jobs." };
        var shard = new Option<string?>("--shard") { Description = "i/N: run only jobs i, i+N, … (seeded runs join once all trials are finished; run again after)." };
        var planOnly = new Option<bool>("--plan") { Description = "Print the jobs still to run and an estimate, and stop; with --json as one JSON object (what asym paper --plan reads)." };
        var zooRecipe = new Option<string?>("--zoo-recipe")
        {
            Description = "With --plan while the --zoo folder holds no zoo.csv yet: plan for the zoo this recipe makes (a JSON file: the \"recipe\" of `asym zoo --plan --json`; asym paper passes it).",
        };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON instead of progress and a table." };
        var cmd = new Command("metanet", "Metanetworks that predict a zoo network's test accuracy from its weights (paper Table 3).")
        {
            zoo, metanets, variants, lrs, runs, epochs, batch, seed, outDir, shard, planOnly, zooRecipe, json,
        };
        cmd.SetAction(parse =>
        {
            MetanetRecipe recipe;
            Shard part;
            ZooRecipe? planned;
            try
            {
                var zooDir = Path.GetFullPath(parse.GetValue(zoo)!);
                planned = parse.GetValue(planOnly) && parse.GetValue(zooRecipe) is { } file && !File.Exists(Path.Combine(zooDir, ZooFolder.ZooCsvFile))
                    ? ReadZooRecipe(file)
                    : null;
                recipe = new MetanetRecipe
                {
                    Zoo = zooDir,
                    Metanets = [.. List(parse.GetValue(metanets)!).Select(MetanetPresets.Parse)],
                    Variants = parse.GetValue(variants) is { } v ? List(v)
                        : planned is not null ? [.. planned.Variants.Select(x => x.ToString().ToLowerInvariant())]
                        : [.. ZooReader.Open(zooDir).Variants],
                    LearningRates = parse.GetValue(lrs) is { } l ? [.. List(l).Select(ParseLr)] : MetanetRecipe.PaperLearningRates,
                    Runs = parse.GetValue(runs), Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), Seed = parse.GetValue(seed),
                };
                recipe.Validate();
                part = parse.GetValue(shard) is { } s ? Shard.Parse(s) : Shard.All;
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or JsonException)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
                return 2;
            }
            var folder = parse.GetValue(outDir) ?? Path.Combine("runs", $"metanet-{Path.GetFileName(recipe.Zoo)}{(recipe.Seed == 0 ? "" : $"-s{recipe.Seed}")}");
            var experiment = new MetanetExperiment(recipe, folder);
            return parse.GetValue(planOnly) ? Plan(experiment, part, planned, parse.GetValue(json)) : Run(experiment, part, parse.GetValue(json), TrainRunner.CommandLine(parse));
        });
        return cmd;
    }

    private static ZooRecipe ReadZooRecipe(string file) =>
        JsonSerializer.Deserialize<ZooRecipe>(File.ReadAllText(file), ZooJson.Options) ?? throw new InvalidDataException($"--zoo-recipe {file}: no zoo recipe in it.");

    /// <summary>Every job still to run, the seeded runs the trials will unlock included, with an estimate from measured
    /// steps on the zoo's input sizes (of the zoo folder, or of <paramref name="planned"/> before the zoo exists).</summary>
    private static int Plan(MetanetExperiment experiment, Shard shard, ZooRecipe? planned, bool json)
    {
        try
        {
            var r = experiment.Recipe;
            var (pending, finished) = MetanetTiming.Plan(experiment, shard);
            var zoo = planned is null ? ZooReader.Open(r.Zoo) : null;
            var inputs = r.Variants.ToDictionary(v => v, v => zoo is null ? MetanetInput.Of(planned!, ModelFactory.ParseVariant(v)) : MetanetInput.Of(zoo, v));
            var seconds = MetanetTiming.Estimate(r, inputs, pending);
            var what = string.Create(CultureInfo.InvariantCulture,
                $"{string.Join(", ", r.Metanets.Select(MetanetPresets.Name))} on {string.Join(", ", inputs.Select(i => $"{i.Key} ({i.Value.Networks} networks × {i.Value.Width:N0} weights)"))}" +
                $"{(zoo is null ? " of the zoo still to be trained" : "")}, {r.Epochs} epochs per job");
            if (json) return PaperSteps.PrintPlan(experiment.Name, experiment.RunDir, pending.Count, finished, seconds, what);
            AnsiConsole.MarkupLine(Markup.Escape($"asym metanet: {what} → {experiment.RunDir}"));
            AnsiConsole.MarkupLine(Markup.Escape($"  {pending.Count} job(s) to run (learning-rate trials and the seeded runs they unlock), {finished} finished, " +
                                                 $"estimated {JobProgressView.Duration(seconds)} on this machine."));
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or ArgumentException or IOException)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return ExitCodes.Failure;
        }
    }

    private static int Run(MetanetExperiment experiment, Shard shard, bool json, string commandLine)
    {
        using var ctrlC = new CtrlC();
        try
        {
            var plan = JobEngine.Plan(experiment, shard);
            if (!json)
                AnsiConsole.MarkupLine(Markup.Escape($"asym metanet: {string.Join(", ", experiment.Recipe.Metanets.Select(MetanetPresets.Name))} on {string.Join(", ", experiment.Recipe.Variants)} of {experiment.Recipe.Zoo} → {experiment.RunDir}; " +
                                                     $"{plan.Pending.Count} job(s) runnable now, {plan.Finished.Count} finished."));
            var (result, ran) = experiment.RunAll(new JobRunOptions
            {
                CommandLine = commandLine, Shard = shard, Cancel = ctrlC.Token,
                OnEvent = json ? null : e =>
                {
                    switch (e)
                    {
                        case JobFinished f: Console.WriteLine($"{f.Name}: {f.Description}"); break;
                        case JobFailed f: Console.WriteLine($"{f.Name}: FAILED: {f.Error}"); break;
                    }
                },
            });
            var rows = MetanetReport.Summarize(experiment.Recipe, result.Finished);
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new { runDir = result.RunDir, ran, missing = result.Missing, summary = rows }, new JsonSerializerOptions(MetanetExperiment.JsonOptions) { WriteIndented = false }));
                return result.Failed.Count > 0 ? 1 : 0;
            }
            var table = new Table().Border(TableBorder.Simple).Title("Test R² and Kendall τ (paper Table 3)");
            table.AddColumns("Metanet", "Zoo", "lr", "Runs", "R²", "τ", "Paper R²", "Paper τ");
            foreach (var r in rows)
            {
                var has = MetanetReport.Paper.TryGetValue((MetanetPresets.Parse(r.Metanet), r.Variant), out var p);
                table.AddRow(r.Metanet, r.Variant, r.Lr.ToString("G3", CultureInfo.InvariantCulture), r.Runs.ToString(CultureInfo.InvariantCulture),
                    Num(r.R2Mean, r.R2Std), Num(r.TauMean, r.TauStd), has ? Num(p.R2) : "–", has ? Num(p.Tau) : "–");
            }
            TableOutput.Write(table);
            AnsiConsole.MarkupLine(Markup.Escape($"{ran} job(s) run, {result.Missing.Count} missing, {result.Failed.Count} failed. Results in {result.RunDir}: " +
                                                 $"{MetanetReport.ResultsFile}, {MetanetReport.PredictionsFile}, {MetanetReport.SummaryFile}."));
            return result.Failed.Count > 0 ? 1 : 0;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine($"[yellow]Interrupted.[/] Finished jobs are kept in {Markup.Escape(experiment.RunDir)}; run the same command again to resume.");
            return 130;
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or ArgumentException or IOException)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 1;
        }
    }

    private static List<string> List(string text) => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static double ParseLr(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new ArgumentException($"--lrs: '{s}' is not a number.");

    private static string Num(double mean, double? std = null) =>
        double.IsNaN(mean) ? "–" : std is { } sd ? string.Create(CultureInfo.InvariantCulture, $"{mean:0.000} ± {sd:0.000}") : mean.ToString("0.000", CultureInfo.InvariantCulture);
}
