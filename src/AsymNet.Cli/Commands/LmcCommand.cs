using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AsymNet.Data;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Lmc;
using AsymNet.Symmetry.Interpolation;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>`asym lmc`: the paper's linear-mode-connectivity experiment (Table 1, Figure 3) into a resumable run folder.</summary>
public static class LmcCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "mlp, resnet20, resnet20x8 or gnn.", DefaultValueFactory = _ => "mlp" };
        model.AcceptOnlyFromAmong([.. LmcRecipe.Models]);
        var dataset = new Option<string?>("--dataset")
        {
            Description = "Dataset (default per model and scale: mlp mnist10k / mnist, resnets cifar10, gnn fashion-knn / ogbn-arxiv). " +
                          $"Images: {string.Join(", ", Datasets.ImageNames)}; graphs: {string.Join(", ", Datasets.GraphNames)}.",
        };
        var pairs = new Option<int?>("--pairs") { Description = "Pairs of networks per variant (default: the scale's, paper 5)." };
        var variants = new Option<string>("--variants")
        {
            Description = "Comma-separated: standard, rebasin (the standard pair aligned by Git Re-Basin), sigma (σ-Asym), w (W-Asym).",
            DefaultValueFactory = _ => "standard,rebasin,sigma,w",
        };
        var epochs = new Option<int?>("--epochs") { Description = "Training epochs per network (default: the scale's recipe)." };
        var points = new Option<int>("--points") { Description = "P: λ ∈ linspace(0, 1, P) (½ is added when P is even).", DefaultValueFactory = _ => 25 };
        var seed = new Option<ulong>("--seed") { Description = "Run seed: every architecture, init and data-order seed derives from it.", DefaultValueFactory = _ => 0UL };
        var scale = new Option<string>("--scale") { Description = "quick (a documented reduction, minutes) or paper (the paper's recipe and sizes).", DefaultValueFactory = _ => "quick" };
        scale.AcceptOnlyFromAmong("quick", "paper");
        var trainSize = new Option<int?>("--train-size") { Description = "Training examples per network (a fixed random subset; image datasets)." };
        var testSize = new Option<int?>("--test-size") { Description = "Test examples evaluated (a fixed random subset; image datasets)." };
        var outDir = new Option<string?>("--out") { Description = "Run folder (default runs/lmc-<model>-<dataset>-<scale>[-s<seed>]). A rerun of a folder skips its finished pairs." };
        var saveCheckpoints = new Option<bool>("--save-checkpoints") { Description = "Also write both networks of every pair as safetensors checkpoints." };
        var planOnly = new Option<bool>("--plan") { Description = "Print the plan (jobs, estimated time) and stop; with --json as one JSON object (what asym paper --plan reads)." };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON instead of progress and a table." };
        var dataDir = DataDirOption.Create();
        var jobOptions = new JobCliOptions();
        var tune = new LmcTuneOptions();
        var cmd = new Command("lmc", "Linear mode connectivity of standard, Git Re-Basin-aligned, σ-Asym and W-Asym network pairs (paper Table 1, Figure 3).")
        {
            model, dataset, pairs, variants, epochs, points, seed, scale, trainSize, testSize, outDir, saveCheckpoints, planOnly, json, dataDir,
        };
        jobOptions.AddTo(cmd);
        tune.AddTo(cmd);
        cmd.SetAction(parse => CommandErrors.Guard("lmc", parse.GetValue(json), () =>
        {
            if ((jobOptions.Validate(parse) ?? tune.Validate(parse)) is { } usage) throw new UsageException(usage);
            var config = new LmcConfig
            {
                Model = parse.GetValue(model)!, Dataset = parse.GetValue(dataset), Pairs = parse.GetValue(pairs),
                Variants = LmcVariants.ParseList(parse.GetValue(variants)!), Epochs = parse.GetValue(epochs), Points = parse.GetValue(points),
                Seed = parse.GetValue(seed), Scale = parse.GetValue(scale) == "paper" ? LmcScale.Paper : LmcScale.Quick,
                TrainSize = parse.GetValue(trainSize), TestSize = parse.GetValue(testSize), SaveCheckpoints = parse.GetValue(saveCheckpoints),
            };
            if (tune.Wanted(parse))
                return tune.Run(parse, config, parse.GetValue(outDir), DataDirOption.Resolve(parse, dataDir), parse.GetValue(planOnly), parse.GetValue(json), jobOptions);
            var recipe = LmcRecipe.Resolve(config);
            var folder = parse.GetValue(outDir) ?? DefaultFolder(recipe);
            var experiment = new LmcExperiment(recipe, folder);
            CheckFolder(experiment);
            if (jobOptions.WantsSlurm(parse)) return SubmitToSlurm(parse, jobOptions, experiment);
            return Run(experiment, DataDirOption.Resolve(parse, dataDir), parse.GetValue(planOnly), parse.GetValue(json), TrainRunner.CommandLine(parse),
                jobOptions.GetShard(parse));
        }));
        return cmd;
    }

    /// <summary>
    /// A folder that cannot hold this run (a file, unwritable, another recipe or another experiment's files) is a usage
    /// error, refused before any data is loaded or time estimated; a damaged recipe.json is a failure (exit code 1).
    /// </summary>
    internal static void CheckFolder<TJob, TResult>(JobExperiment<TJob, TResult> experiment) where TJob : notnull where TResult : class
    {
        OutputPaths.CheckFolder(experiment.RunDir, "--out", allowNonEmpty: true);
        try
        {
            JobEngine.CheckFolder(experiment);
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Prepares the folder (recipe.json) and submits the jobs to Slurm.</summary>
    private static int SubmitToSlurm(ParseResult parse, JobCliOptions options, LmcExperiment experiment)
    {
        var run = JobEngine.PrepareFolder(experiment, TrainRunner.CommandLine(parse), Shard.All);
        WriteRecipe(experiment.Recipe, experiment.RunDir);
        var code = options.Submit(parse, experiment.Name, experiment.RunDir, experiment.Jobs().Count);
        run.Complete(code == 0 ? "submitted" : "failed", null);
        return code;
    }

    public static string DefaultFolder(LmcRecipe r) =>
        Path.Combine("runs", $"lmc-{r.Model}-{r.Dataset}-{r.Scale.ToString().ToLowerInvariant()}{(r.Seed == 0 ? "" : $"-s{r.Seed}")}");

    private static int Run(LmcExperiment experiment, DataPaths paths, bool planOnly, bool json, string commandLine, Shard shard)
    {
        var recipe = experiment.Recipe;
        // Ctrl+C stops after the current epoch or curve; finished pairs stay and a rerun resumes.
        using var ctrlC = new CtrlC();
        var cancel = ctrlC.Token;
        try
        {
            // The recipe part of the plan comes first, so it shows even when the data still has to be fetched.
            if (!json) WriteRecipe(recipe, experiment.RunDir);
            using var task = LmcTasks.Create(recipe, paths);
            var plan = experiment.Plan(task, estimate: true, shard);
            if (!json) WritePlan(plan, shard);
            if (planOnly)
            {
                return json
                    ? PaperSteps.PrintPlan(experiment.Name, plan.RunDir, plan.Pending.Count, plan.Finished.Count, plan.EstimatedSeconds,
                        $"{plan.Task}: {plan.Pending.Count * 2} networks × {recipe.Epochs} epochs, {plan.StepsPerNetwork:N0} steps each")
                    : ExitCodes.Success;
            }
            LmcRunResult result;
            if (json) result = experiment.Run(task, null, cancel, commandLine, shard: shard);
            else result = RunWithProgress(experiment, task, plan, cancel, commandLine, shard);
            if (json)
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    runDir = result.RunDir, recipe = result.Recipe, summaries = result.Summaries, ran = result.Ran, skipped = result.Skipped,
                    wallSeconds = result.Wall.TotalSeconds, missing = result.Missing, failed = result.Failed.Select(f => new { job = f.Job, error = f.Error }),
                }, LmcJson.Options));
            else if (shard.IsAll) WriteSummary(result);
            else
            {
                AnsiConsole.MarkupLine(Markup.Escape($"Shard {shard}: {result.Ran} job(s) run, {result.Skipped} already finished. " +
                                                     $"When every shard is done: asym collect {result.RunDir}"));
            }
            if (!json) JobCliOptions.WriteMissing(shard.IsAll ? result.Missing : [], result.Failed);
            return result.Failed.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
        }
        catch (OperationCanceledException)
        {
            Terminal.Error("lmc", $"interrupted. Finished pairs are kept in {experiment.RunDir}; run the same command again to resume.");
            return ExitCodes.Interrupted;
        }
    }

    private static void WriteRecipe(LmcRecipe r, string runDir)
    {
        AnsiConsole.MarkupLine($"[bold]asym lmc[/]: {Markup.Escape(r.Model)} on {Markup.Escape(r.Dataset)}, {r.Scale.ToString().ToLowerInvariant()} scale → {Markup.Escape(runDir)}");
        foreach (var v in r.Variants.Where(v => v != LmcVariant.Rebasin))
            AnsiConsole.MarkupLine($"  {Markup.Escape(v.Label()),-8} {Markup.Escape(r.Describe(v))}");
        AnsiConsole.MarkupLine(Markup.Escape($"  {r.Pairs} pair(s) × [{string.Join(", ", r.Variants.Select(v => v.Name()))}], {r.Points} points, seed {r.Seed}."));
    }

    private static void WritePlan(LmcPlan plan, Shard shard)
    {
        var r = plan.Recipe;
        if (!shard.IsAll) AnsiConsole.MarkupLine(Markup.Escape($"  shard {shard}: every {shard.Count}th job from job {shard.Index}."));
        var estimate = plan.EstimatedSeconds is { } s ? $", estimated {JobProgressView.Duration(s)} on this machine" : "";
        AnsiConsole.MarkupLine(Markup.Escape(
            $"  {plan.Task}: {plan.Pending.Count} job(s) to run ({plan.Pending.Count * 2} networks × {r.Epochs} epochs, {plan.StepsPerNetwork:N0} steps each)" +
            $"{(plan.Finished.Count > 0 ? $", {plan.Finished.Count} already finished" : "")}{estimate}."));
    }

    internal static LmcRunResult RunWithProgress(LmcExperiment experiment, ILmcTask task, LmcPlan plan, CancellationToken cancel, string commandLine, Shard shard)
    {
        if (!Terminal.Interactive) return experiment.Run(task, WriteLine, cancel, commandLine, shard: shard);
        LmcRunResult? result = null;
        var points = LmcCurve.Lambdas(plan.Recipe.Points).Length;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var all = ctx.AddTask("jobs", maxValue: Math.Max(1, plan.Pending.Count));
                // One bar per running job (several run side by side under --threads runs): both networks' epochs,
                // then every curve's points.
                var bars = new Dictionary<LmcJob, ProgressTask>();
                result = experiment.Run(task, e =>
                {
                    switch (e)
                    {
                        case LmcJobStarted s:
                            bars[s.Job] = ctx.AddTask(Markup.Escape(s.Job.Name), maxValue: 2 * plan.Recipe.For(s.Job.Family).Epochs + s.Job.Curves.Count * points);
                            break;
                        case LmcNetworkEpoch n:
                            bars[n.Job].Value = n.Network * n.Progress.Epochs + n.Progress.Epoch;
                            bars[n.Job].Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                                $"{n.Job.Name} net {n.Network + 1} epoch {n.Progress.Epoch}/{n.Progress.Epochs} loss {n.Progress.TrainLoss:0.000}"));
                            break;
                        case LmcCurveStarted c:
                            bars[c.Job].Value = 2 * plan.Recipe.For(c.Job.Family).Epochs + c.Job.Curves.ToList().IndexOf(c.Variant) * points;
                            bars[c.Job].Description = Markup.Escape($"{c.Job.Name} {c.Variant.Name()} curve");
                            break;
                        case LmcCurvePoint p:
                            bars[p.Job].Increment(1);
                            break;
                        case LmcJobFinished f:
                            bars[f.Job].Value = bars[f.Job].MaxValue;
                            bars[f.Job].StopTask();
                            all.Increment(1);
                            AnsiConsole.MarkupLine(Markup.Escape(JobLine(f)));
                            break;
                        case LmcJobFailed f:
                            bars[f.Job].StopTask();
                            all.Increment(1);
                            AnsiConsole.MarkupLine($"[red]{Markup.Escape($"{f.Job.Name}: failed ({f.Error}); recorded, the other jobs go on")}[/]");
                            break;
                    }
                }, cancel, commandLine, shard: shard);
            });
        return result!;
    }

    private static void WriteLine(LmcEvent e)
    {
        switch (e)
        {
            case LmcNetworkTrained t:
                Console.WriteLine(t.Result.Diverged
                    ? $"{t.Job.Name} net {t.Network + 1}: diverged ({t.Result.DivergenceReason})"
                    : string.Create(CultureInfo.InvariantCulture, $"{t.Job.Name} net {t.Network + 1}: test loss {t.Result.TestLoss:0.0000}, accuracy {100 * t.Result.TestAccuracy:0.00}% ({t.Result.Seconds:0.0} s)"));
                break;
            case LmcJobFinished f:
                Console.WriteLine(JobLine(f));
                break;
            case LmcJobFailed f:
                Console.WriteLine($"{f.Job.Name}: failed ({f.Error}); recorded, the other jobs go on");
                break;
        }
    }

    private static string JobLine(LmcJobFinished f) => $"{f.Job.Name}: {LmcExperiment.DescribePair(f.Result)}";

    internal static void WriteSummary(LmcRunResult result)
    {
        var r = result.Recipe;
        var paper = LmcPaperTable.For(r.Model);
        var table = new Table().Border(TableBorder.Simple)
            .Title(Markup.Escape($"Midpoint test-loss barrier, {r.Model} on {r.Dataset} ({r.Scale.ToString().ToLowerInvariant()} scale)"));
        table.AddColumns("Variant", "Barrier (mean ± std)", "Pairs", "Endpoint acc.", "Midpoint acc.", "Max barrier (mean)", "Paper");
        foreach (var s in result.Summaries)
            table.AddRow(Markup.Escape(s.Variant.Label()),
                s.Pairs == 0 ? "–" : $"{LmcReport.Num(s.BarrierMean)} ± {LmcReport.Num(s.BarrierStd, 2)}",
                s.DivergedPairs > 0 ? $"{s.Pairs} [yellow]({s.DivergedPairs} diverged)[/]" : $"{s.Pairs}",
                LmcReport.Pct(s.EndpointAccuracyMean), LmcReport.Pct(s.MidpointAccuracyMean), LmcReport.Num(s.MaxBarrierMean),
                $"{LmcReport.Num(paper.Barriers[s.Variant].Mean)} ± {LmcReport.Num(paper.Barriers[s.Variant].Std, 2)}");
        TableOutput.Write(table);
        AnsiConsole.WriteLine(LmcReport.TableNote);
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{result.Ran} job(s) run, {result.Skipped} already finished, {result.Wall.TotalSeconds:0.0} s. Results in {result.RunDir}: " +
            $"{LmcReport.ResultsFile}, {LmcReport.BarriersFile}, {LmcReport.SummaryFile}, {LmcReport.FigureFile}, {LmcReport.FigurePngFile}.")));
    }
}
