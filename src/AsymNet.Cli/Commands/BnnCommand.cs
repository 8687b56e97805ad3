using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AsymNet.Data;
using AsymNet.Experiments.Bnn;
using AsymNet.Experiments.Jobs;
using AsymNet.NN.Models;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>`asym bnn`: Bayesian neural networks by variational inference, standard vs W-Asym (paper Table 2, Figure 4).</summary>
public static class BnnCommand
{
    public static Command Create()
    {
        var models = new Option<string?>("--models")
        {
            Description = $"Comma-separated: {string.Join(", ", BnnRecipe.ModelNames)} (default: quick mlp8,mlp16; paper all).",
        };
        var variants = new Option<string>("--variants") { Description = "Comma-separated: standard, w (W-Asym).", DefaultValueFactory = _ => "standard,w" };
        var runs = new Option<int?>("--runs") { Description = "Runs per (model, variant) (default: quick 1, paper 10)." };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs per network (default: quick 2, paper 50)." };
        var rank = new Option<int?>("--rank") { Description = "ELRG rank k (α = 1/k; 0 = mean-field diagonal; default 4)." };
        var learnDiagonal = new Option<bool>("--learn-diagonal") { Description = "Train log s as well (the paper keeps the diagonal fixed)." };
        var samples = new Option<int?>("--samples") { Description = "Posterior samples per test image (default 25)." };
        var dataset = new Option<string?>("--dataset") { Description = $"Dataset for every model (default: quick fashion-mnist; paper cifar10, cifar100 for the BN/LN rows). {string.Join(", ", Datasets.ImageNames)}." };
        var trainSize = new Option<int?>("--train-size") { Description = "Training images (a fixed random subset; default quick 8,000, paper all)." };
        var testSize = new Option<int?>("--test-size") { Description = "Test images (a fixed random subset; default quick 500, paper all)." };
        var seed = new Option<ulong>("--seed") { Description = "Run seed: every architecture, init, data-order and noise seed derives from it.", DefaultValueFactory = _ => 0UL };
        var scale = new Option<string>("--scale") { Description = "quick (Fashion-MNIST, minutes) or paper (CIFAR, the paper's recipe).", DefaultValueFactory = _ => "quick" };
        scale.AcceptOnlyFromAmong("quick", "paper");
        var outDir = new Option<string?>("--out") { Description = "Run folder (default runs/bnn-<scale>[-s<seed>]). A rerun skips finished runs." };
        var planOnly = new Option<bool>("--plan") { Description = "Print the plan (jobs, estimated time) and stop; with --json as one JSON object (what asym paper --plan reads)." };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON instead of progress and a table." };
        var dataDir = DataDirOption.Create();
        var jobOptions = new JobCliOptions();
        var cmd = new Command("bnn", "Bayesian neural networks by ELRG variational inference, standard vs W-Asym (paper Table 2, Figure 4).")
        {
            models, variants, runs, epochs, rank, learnDiagonal, samples, dataset, trainSize, testSize, seed, scale, outDir, planOnly, json, dataDir,
        };
        jobOptions.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            if (jobOptions.Validate(parse) is { } usage)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(usage)}[/]");
                return 2;
            }
            BnnRecipe recipe;
            try
            {
                recipe = BnnRecipe.Resolve(new BnnConfig
                {
                    Scale = parse.GetValue(scale) == "paper" ? BnnScale.Paper : BnnScale.Quick,
                    Models = parse.GetValue(models) is { } m ? Split(m) : [],
                    Variants = [.. Split(parse.GetValue(variants)!).Select(ModelFactory.ParseVariant)],
                    Runs = parse.GetValue(runs), Epochs = parse.GetValue(epochs), Rank = parse.GetValue(rank), LearnDiagonal = parse.GetValue(learnDiagonal),
                    TestSamples = parse.GetValue(samples), Dataset = parse.GetValue(dataset), TrainSize = parse.GetValue(trainSize), TestSize = parse.GetValue(testSize),
                    Seed = parse.GetValue(seed),
                });
            }
            catch (ArgumentException e)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
                return 2;
            }
            var folder = parse.GetValue(outDir) ?? Path.Combine("runs", $"bnn-{recipe.Scale.ToString().ToLowerInvariant()}{(recipe.Seed == 0 ? "" : $"-s{recipe.Seed}")}");
            var paths = DataDirOption.Resolve(parse, dataDir);
            var experiment = new BnnExperiment(recipe, folder, name => Datasets.LoadImages(name, paths));
            var commandLine = TrainRunner.CommandLine(parse);
            try
            {
                if (jobOptions.WantsSlurm(parse))
                {
                    var run = JobEngine.PrepareFolder(experiment, commandLine, Shard.All);
                    var code = jobOptions.Submit(parse, experiment.Name, experiment.RunDir, experiment.Jobs().Count);
                    run.Complete(code == 0 ? "submitted" : "failed", null);
                    return code;
                }
                return Run(experiment, parse.GetValue(planOnly), parse.GetValue(json), commandLine, jobOptions.GetShard(parse));
            }
            catch (Exception e) when (e is DatasetNotFoundException or DataFormatException or InvalidOperationException or InvalidDataException or ArgumentException or IOException)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
                return 1;
            }
        });
        return cmd;
    }

    private static string EpochLine(BnnEpochProgress p)
    {
        var e = p.Epoch;
        var test = e.TestAccuracy is { } a ? FormattableString.Invariant($", test NLL {e.TestNll:0.0000}, accuracy {100 * a:0.00}%, ECE {e.Ece:0.0000}") : "";
        return FormattableString.Invariant($"{p.Job.Id} epoch {e.Epoch}/{p.Epochs}: train loss {e.TrainLoss:0.0000}, KL/N {e.KlPerN:0.0000}{test} ({e.Seconds:0.0} s)");
    }

    private static IReadOnlyList<string> Split(string text) => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static int Run(BnnExperiment experiment, bool planOnly, bool json, string commandLine, Shard shard)
    {
        var r = experiment.Recipe;
        using var ctrlC = new CtrlC();
        if (!json || planOnly)
        {
            var plan = JobEngine.Plan(experiment, shard);
            var seconds = experiment.Estimate(shard);
            var jobs = $"{r.Runs} run(s) × {r.Models.Count} model(s) × {r.Variants.Count} variant(s), {r.Epochs} epochs";
            if (json) return PaperSteps.PrintPlan(experiment.Name, experiment.RunDir, plan.Pending.Count, plan.Finished.Count, seconds ?? 0,
                $"{string.Join(", ", r.Models.Select(m => m.Label))}: {jobs}");
            AnsiConsole.MarkupLine(Markup.Escape($"asym bnn: {r.Scale.ToString().ToLowerInvariant()} scale → {experiment.RunDir}"));
            foreach (var m in r.Models)
                AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"  {m.Label,-14} {experiment.Data(m.Dataset).Description}, Adam {m.LearningRate:G3}, rank {m.Posterior.Rank}, log s {m.Posterior.InitLogVariance:G3}")));
            var estimate = seconds is { } s ? string.Create(CultureInfo.InvariantCulture, $", estimated {s / 60:0.#} min on this machine") : "";
            AnsiConsole.MarkupLine(Markup.Escape($"  {plan.Pending.Count} job(s) to run ({jobs})" +
                                                 $"{(plan.Finished.Count > 0 ? $", {plan.Finished.Count} already finished" : "")}{estimate}."));
        }
        if (planOnly) return 0;
        JobRunResult<BnnRunResult> result;
        try
        {
            result = JobEngine.Run(experiment, new JobRunOptions
            {
                CommandLine = commandLine, Shard = shard, Cancel = ctrlC.Token,
                OnEvent = json ? null : e =>
                {
                    switch (e)
                    {
                        case JobProgress { Payload: BnnEpochProgress p }:
                            Console.WriteLine(EpochLine(p));
                            break;
                        case JobFinished f:
                            Console.WriteLine($"{f.Name}: {f.Description}");
                            break;
                        case JobFailed f:
                            AnsiConsole.MarkupLine($"[red]{Markup.Escape($"{f.Name}: failed ({f.Error}); recorded, the other jobs go on")}[/]");
                            break;
                    }
                },
            });
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine($"[yellow]Interrupted.[/] Finished runs are kept in {Markup.Escape(experiment.RunDir)}; run the same command again to resume.");
            return 130;
        }
        var rows = BnnReport.Summarize(r, result.Finished);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { runDir = result.RunDir, recipe = r, rows, ran = result.Ran, skipped = result.Skipped, wallSeconds = result.Wall.TotalSeconds }, BnnRecipe.Json));
            return result.Failed.Count > 0 ? 1 : 0;
        }
        if (shard.IsAll) Console.WriteLine(BnnReport.SummaryMarkdown(r, rows, null));
        else AnsiConsole.MarkupLine(Markup.Escape($"Shard {shard}: {result.Ran} job(s) run, {result.Skipped} already finished. When every shard is done: asym collect {result.RunDir}"));
        JobCliOptions.WriteMissing(shard.IsAll ? result.Missing : [], result.Failed);
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{result.Ran} job(s) run, {result.Skipped} already finished, {result.Wall.TotalSeconds:0.0} s. Results in {result.RunDir}: " +
            $"{BnnReport.ResultsFile}, {BnnReport.PredictionsFile}, {BnnReport.SummaryFile}, {BnnReport.FigureName}.svg/.png, checkpoints/.")));
        return result.Failed.Count > 0 ? 1 : 0;
    }
}
