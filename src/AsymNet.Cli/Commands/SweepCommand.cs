using System.CommandLine;
using System.Globalization;
using AsymNet.Data;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Lmc;
using AsymNet.Experiments.Sweep;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>`asym sweep`: how much asymmetry (paper Figure 6): epochs to a training-accuracy threshold, test accuracy
/// and LMC barrier over a grid of nfix multiplier × κ (W-Asym) or FiGLU F std (σ-Asym).</summary>
public static class SweepCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "resnet20 (paper Figure 6; the paper-scale default) or mlp (the quick default: embedded MNIST, minutes)." };
        model.AcceptOnlyFromAmong([.. SweepRecipe.Models]);
        var kind = new Option<string>("--kind") { Description = "w: grid over nfix multiplier × κ; sigma: over FiGLU's F std.", DefaultValueFactory = _ => "w" };
        kind.AcceptOnlyFromAmong("w", "sigma");
        var grid = new Option<string?>("--grid")
        {
            Description = "Grid: \"nfix=0,0.25,0.5,0.75,1;kappa=0,0.75,1.5,2.25,3\" (w) or \"fstd=1,0.25,1/sqrt(d)\" (sigma; d = the MLP's width). Default: the scale's.",
        };
        var seeds = new Option<int?>("--seeds") { Description = "Networks per cell (the first two give the barrier; default quick 2, paper 3)." };
        var threshold = new Option<double?>("--threshold") { Description = "Training-accuracy threshold in (0, 1] (default: paper 0.70; quick resnet20 0.80, mlp 0.97)." };
        var epochs = new Option<int?>("--epochs") { Description = "Epoch cap (default: the scale's LMC recipe length; quick resnet20 8)." };
        var fullEpochs = new Option<bool>("--full-epochs") { Description = "Train every network to the cap instead of stopping it at the threshold (the σ default)." };
        var scale = new Option<string>("--scale") { Description = "quick (minutes, docs/sweep.md) or paper (CIFAR-10 ResNet20, the Figure 6 grid).", DefaultValueFactory = _ => "quick" };
        scale.AcceptOnlyFromAmong("quick", "paper");
        var dataset = new Option<string?>("--dataset") { Description = "Image dataset (default: quick resnet20 fashion-mnist, mlp mnist10k; paper cifar10 / mnist)." };
        var trainSize = new Option<int?>("--train-size") { Description = "Training examples per network (a fixed random subset)." };
        var testSize = new Option<int?>("--test-size") { Description = "Test examples evaluated (a fixed random subset)." };
        var points = new Option<int>("--points") { Description = "Interpolation points of the barrier curve (3: λ = 0, ½, 1).", DefaultValueFactory = _ => 3 };
        var seed = new Option<ulong>("--seed") { Description = "Run seed.", DefaultValueFactory = _ => 0UL };
        var outDir = new Option<string?>("--out") { Description = "Run folder (default runs/sweep-<kind>-<model>-<dataset>-<scale>). A rerun skips finished cells." };
        var jobOptions = new JobCliOptions();
        var planOnly = new Option<bool>("--plan") { Description = "Print the plan and an upper time estimate, then stop." };
        var planJson = PaperSteps.PlanJsonOption();
        var dataDir = DataDirOption.Create();
        var cmd = new Command("sweep", "How much asymmetry (paper Figure 6): epochs to a training-accuracy threshold, test accuracy and LMC barrier over nfix × κ or F std.")
        {
            model, kind, grid, seeds, threshold, epochs, fullEpochs, scale, dataset, trainSize, testSize, points, seed, outDir, planOnly, planJson, dataDir,
        };
        jobOptions.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            SweepRecipe recipe;
            Shard part;
            try
            {
                var sigma = parse.GetValue(kind) == "sigma";
                recipe = SweepRecipe.Resolve(new SweepConfig
                {
                    Model = parse.GetValue(model), Kind = sigma ? SweepKind.Sigma : SweepKind.W,
                    Scale = parse.GetValue(scale) == "paper" ? LmcScale.Paper : LmcScale.Quick, Dataset = parse.GetValue(dataset),
                    Grid = parse.GetValue(grid), Seeds = parse.GetValue(seeds), Threshold = parse.GetValue(threshold), Epochs = parse.GetValue(epochs),
                    StopAtThreshold = parse.GetValue(fullEpochs) ? false : null, TrainSize = parse.GetValue(trainSize), TestSize = parse.GetValue(testSize),
                    Points = parse.GetValue(points), Seed = parse.GetValue(seed),
                });
                if (jobOptions.Validate(parse) is { } usage) throw new ArgumentException(usage);
                part = jobOptions.GetShard(parse);
            }
            catch (ArgumentException e)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
                return 2;
            }
            var folder = parse.GetValue(outDir) ?? Path.Combine("runs",
                $"sweep-{(recipe.Kind == SweepKind.W ? "w" : "sigma")}-{recipe.Model}-{recipe.Training.Dataset}-{recipe.Scale.ToString().ToLowerInvariant()}{(recipe.Seed == 0 ? "" : $"-s{recipe.Seed}")}");
            if (jobOptions.WantsSlurm(parse)) return SubmitToSlurm(parse, jobOptions, recipe, folder);
            return Run(recipe, folder, DataDirOption.Resolve(parse, dataDir), part, parse.GetValue(planOnly), parse.GetValue(planJson), TrainRunner.CommandLine(parse));
        });
        return cmd;
    }

    /// <summary>Prepares the folder (a folder of another recipe is refused) and submits one array task per shard to Slurm.</summary>
    private static int SubmitToSlurm(ParseResult parse, JobCliOptions options, SweepRecipe recipe, string folder)
    {
        var experiment = new SweepExperiment(recipe, folder);
        try
        {
            var run = JobEngine.PrepareFolder(experiment, TrainRunner.CommandLine(parse), Shard.All);
            var code = options.Submit(parse, experiment.Name, experiment.RunDir, experiment.Jobs().Count);
            run.Complete(code == 0 ? "submitted" : "failed", null);
            return code;
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 1;
        }
    }

    private static int Run(SweepRecipe recipe, string folder, DataPaths paths, Shard shard, bool planOnly, bool json, string commandLine)
    {
        var experiment = new SweepExperiment(recipe, folder);
        using var ctrlC = new CtrlC();
        var ci = CultureInfo.InvariantCulture;
        try
        {
            if (!(planOnly && json))
            {
                AnsiConsole.MarkupLine($"[bold]asym sweep[/] → {Markup.Escape(experiment.RunDir)}");
                AnsiConsole.MarkupLine(Markup.Escape("  " + recipe.Describe()));
            }
            using var task = new ImageLmcTask(recipe.Training, paths);
            var plan = experiment.Plan(task, shard);
            if (planOnly && json)
                return PaperSteps.PrintPlan(experiment.Name, experiment.RunDir, plan.Pending.Count, plan.Finished.Count, plan.EstimatedSeconds,
                    $"{task.Description}: {plan.Total} cell(s), an upper estimate (every network to the epoch cap)");
            var estimate = plan.EstimatedSeconds is { } s ? string.Create(ci, $"; at most {s / 60:0.#} min on this machine (every network to the cap)") : "";
            AnsiConsole.MarkupLine(Markup.Escape(
                $"  {task.Description}: {plan.Pending.Count} cell(s) to run{(shard.IsAll ? "" : $" in shard {shard}")}, {plan.Finished.Count} finished, of {plan.Total}{estimate}."));
            if (planOnly) return 0;
            var result = experiment.Run(task, commandLine, shard, e =>
            {
                switch (e)
                {
                    case JobProgress { Payload: SweepEpochProgress p }:
                        Console.WriteLine(string.Create(ci,
                            $"  {p.Cell.Label} seed {p.SeedIndex} epoch {p.Progress.Epoch}: train loss {p.Progress.TrainLoss:0.0000}, train accuracy {100 * p.Progress.TrainAccuracy:0.00}%"));
                        break;
                    case JobFinished f:
                        Console.WriteLine($"{f.Name}: {f.Description}");
                        break;
                    case JobFailed f:
                        AnsiConsole.MarkupLine($"[red]{Markup.Escape(f.Name)} failed: {Markup.Escape(f.Error)}[/]");
                        break;
                }
            }, ctrlC.Token);
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(ci,
                $"{result.Ran} cell(s) run, {result.Skipped} already finished, {result.Failed.Count} failed, {result.Wall.TotalSeconds:0} s. " +
                $"Results in {result.RunDir}: {SweepReport.CellsFile}, {SweepReport.ResultsFile}, {SweepReport.SummaryFile}, {SweepReport.FigureFile}.")));
            JobCliOptions.WriteMissing(shard.IsAll ? result.Missing : [], result.Failed);
            return result.Failed.Count > 0 ? 1 : 0;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine($"[yellow]Interrupted.[/] Finished cells are kept in {Markup.Escape(experiment.RunDir)}; run the same command again to resume.");
            return 130;
        }
        catch (Exception e) when (e is DatasetNotFoundException or DataFormatException or InvalidOperationException or InvalidDataException or ArgumentException or IOException)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 1;
        }
    }
}
