using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Lmc;
using AsymNet.NN.Models;
using AsymNet.Symmetry.Interpolation;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Sweep;

/// <summary>What a sweep run will do: cells to run and finished (of <paramref name="Total"/>), and an upper time estimate.</summary>
public sealed record SweepPlan(IReadOnlyList<SweepCell> Pending, IReadOnlyList<SweepCell> Finished, int Total, double? EstimatedSeconds);

/// <summary>Progress of one network of a sweep cell, once per epoch.</summary>
public sealed record SweepEpochProgress(SweepCell Cell, int SeedIndex, LmcEpochProgress Progress);

/// <summary>
/// How much asymmetry (paper Figure 6, Appendix A): for every cell of a grid over (nfix multiplier, κ) or FiGLU F
/// std, trains several networks with the LMC recipe of the model, records each epoch's training accuracy and the first
/// epoch at the threshold (the Trainer stops there when the recipe says so), the test accuracy, and the LMC midpoint
/// barrier of the cell's first two networks. One job per cell on <see cref="JobEngine"/> (resume, shards, manifest).
/// </summary>
public sealed class SweepExperiment(SweepRecipe recipe, string runDir, ImageLmcTask? task = null) : JobExperiment<SweepCell, SweepCellResult>(runDir)
{
    public const string ExperimentName = "sweep";
    public const string CellsDir = "cells";

    public SweepRecipe Recipe { get; } = recipe;

    public override string Name => ExperimentName;
    public override string RecipeJson => Recipe.IdentityJson();
    public override JsonNode? ManifestConfig => JsonSerializer.SerializeToNode(Recipe, LmcJson.Options);
    public override IReadOnlyDictionary<string, ulong> Seeds => new Dictionary<string, ulong> { ["seed"] = Recipe.Seed };
    public override string JobsDir => CellsDir;
    public override JsonSerializerOptions Json => LmcJson.Options;

    public override IReadOnlyList<SweepCell> Jobs() => Recipe.Cells();
    public override string JobId(SweepCell job) => job.Id;
    public override string JobName(SweepCell job) => job.Label;
    public override bool Diverged(SweepCellResult result) => result.Diverged;

    public override string Describe(SweepCellResult r)
    {
        var ci = CultureInfo.InvariantCulture;
        var epochs = string.Join(" / ", r.Networks.Select(n => n.Diverged ? "diverged" : n.EpochsToThreshold?.ToString(ci) ?? $">{Recipe.Training.Epochs}"));
        var barrier = r.MidpointBarrier is { } b ? string.Create(ci, $", barrier {b:0.0000}") : "";
        return string.Create(ci, $"epochs to {100 * Recipe.Threshold:0.#}%: {epochs}, test accuracy {100 * r.Networks.Where(n => !n.Diverged).Select(n => n.TestAccuracy).DefaultIfEmpty(double.NaN).Average():0.00}%{barrier} ({r.Seconds:0} s)");
    }

    public override JsonNode? WriteTables(IReadOnlyList<SweepCellResult> finished, string? timing) =>
        JsonSerializer.SerializeToNode(SweepReport.Write(RunDir, Recipe, finished, timing), LmcJson.Options);

    public static ulong ArchitectureSeed(ulong seed) => Rng.ForKey(seed, "sweep/architecture").NextUInt64();
    public static ulong InitSeed(ulong seed, int index) => Rng.ForKey(seed, $"sweep/seed{index}/init").NextUInt64();
    public static ulong DataSeed(ulong seed, int index) => Rng.ForKey(seed, $"sweep/seed{index}/data").NextUInt64();

    public ModelConfig Config(SweepCell cell, DatasetShape shape) =>
        ModelPresets.Get(Recipe.Model, Recipe.Family, shape, ArchitectureSeed(Recipe.Seed), cell.Strength);

    /// <summary>The cells still to run in <paramref name="shard"/>, those finished, and (with <paramref name="task"/>) an
    /// upper estimate of the seconds: every network trains to the cap (stopping at the threshold only shortens it),
    /// from a measured training step and test evaluation of each cell's model.</summary>
    public SweepPlan Plan(ImageLmcTask? task, Shard shard)
    {
        var plan = JobEngine.Plan(this, shard);
        double? seconds = null;
        if (task is not null && plan.Pending.Count > 0)
        {
            seconds = 0;
            var first = true;
            foreach (var (_, cell) in plan.Pending)
            {
                var model = ModelFactory.Create(Config(cell, task.Shape), 0);
                // The first measurement also pays for compiling the training code: measure twice.
                if (first) task.Measure(model);
                first = false;
                var (step, eval) = task.Measure(model);
                seconds += Recipe.Seeds * (Recipe.Training.Epochs * task.StepsPerEpoch * step + eval) + LmcCurve.Lambdas(Recipe.Points).Length * eval;
            }
        }
        return new SweepPlan(plan.Pending.Select(p => p.Job).ToList(), plan.Finished.Select(p => p.Job).ToList(), plan.Total, seconds);
    }

    public JobRunResult<SweepCellResult> Run(ImageLmcTask task, string commandLine = "asym sweep", Shard? shard = null,
        Action<JobEvent>? onEvent = null, CancellationToken cancel = default) =>
        JobEngine.Run(new SweepExperiment(Recipe, RunDir, task), new JobRunOptions
        {
            CommandLine = commandLine, Shard = shard ?? Shard.All, Cancel = cancel, OnEvent = onEvent,
        });

    /// <summary>`asym collect`: rebuilds a folder's tables from its cell files and the recipe its manifest recorded.</summary>
    public static CollectOutcome CollectFolder(string runDir, JsonNode config, string commandLine)
    {
        var recipe = config.Deserialize<SweepRecipe>(LmcJson.Options) ?? throw new InvalidDataException($"{runDir}: the manifest's config is not a sweep recipe.");
        var r = JobEngine.Collect(new SweepExperiment(recipe, runDir), commandLine);
        var headline = string.Join("; ", r.Finished.Select(SweepReport.Summarize).Select(s =>
            $"{s.Cell.Label}: epochs {SweepReport.EpochsText(s, recipe.Training.Epochs)}, barrier {LmcReport.Num(s.MidpointBarrier ?? double.NaN)}"));
        return new CollectOutcome(ExperimentName, r.RunDir, r.Finished.Count, r.Missing, r.Failed, headline);
    }

    public override SweepCellResult RunJob(SweepCell cell, JobContext context)
    {
        var t = task ?? throw new InvalidOperationException("SweepExperiment needs a task to run jobs.");
        var clock = Stopwatch.StartNew();
        var config = Config(cell, t.Shape);
        var networks = new List<SweepNetworkResult>();
        var models = new List<Model>();
        for (var s = 0; s < Recipe.Seeds; s++)
        {
            var netClock = Stopwatch.StartNew();
            var (init, data) = (InitSeed(Recipe.Seed, s), DataSeed(Recipe.Seed, s));
            var model = ModelFactory.Create(config, init);
            var epochs = new List<SweepEpoch>();
            var seedIndex = s;
            var outcome = t.Train(model, Recipe.TrainingVariant, data, p =>
            {
                epochs.Add(new SweepEpoch(p.Epoch, p.TrainLoss, p.TrainAccuracy, p.LearningRate));
                context.Report(new SweepEpochProgress(cell, seedIndex, p));
            }, context.Cancel, Recipe.StopAtThreshold ? m => m.TrainAccuracy >= Recipe.Threshold : null);
            var (loss, accuracy) = outcome.Diverged ? (double.NaN, double.NaN) : t.Evaluate(model);
            networks.Add(new SweepNetworkResult
            {
                SeedIndex = s, InitSeed = init, DataSeed = data, Epochs = epochs,
                EpochsToThreshold = epochs.FirstOrDefault(e => e.TrainAccuracy >= Recipe.Threshold)?.Epoch,
                Diverged = outcome.Diverged, DivergenceReason = outcome.Reason, TestLoss = loss, TestAccuracy = accuracy,
                Seconds = netClock.Elapsed.TotalSeconds,
            });
            models.Add(model);
        }
        double? barrier = null, midpointAccuracy = null, distance = null;
        if (models.Count >= 2 && !networks[0].Diverged && !networks[1].Diverged)
        {
            var work = ModelFactory.Create(config, 0);
            var curve = LinearModeConnectivity.Curve(models[0], models[1], work, Recipe.Points, m => t.Evaluate(m), t.StatisticsBatches);
            barrier = curve.MidpointBarrier;
            midpointAccuracy = curve.Middle.Accuracy;
            distance = ParameterDistance.PerParameter(models[0], models[1]);
        }
        return new SweepCellResult
        {
            Cell = cell, FixedEntries = models[0].FixedParameterCount(), TrainableParameters = models[0].TrainableParameterCount(),
            Networks = networks, MidpointBarrier = barrier, MidpointAccuracy = midpointAccuracy, DistancePerParameter = distance,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }
}
