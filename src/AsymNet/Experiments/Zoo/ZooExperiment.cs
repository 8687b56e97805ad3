using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsymNet.Experiments.Jobs;
using AsymNet.NN.Models;
using AsymNet.NN.Training;

namespace AsymNet.Experiments.Zoo;

/// <summary>Progress of one zoo network's training, once per epoch.</summary>
public sealed record ZooEpoch(ZooJob Job, EpochMetrics Metrics);

/// <summary>
/// <c>asym zoo</c> on the <see cref="JobEngine"/>: one independent, seed-indexed job per (hyperparameter row, variant),
/// listed row by row so that network i of every variant sits side by side (balanced shards, paired zoos that grow
/// together). A job trains its network (<see cref="ZooNetworks.Train"/>) and writes θ₀ and θ_T; the engine writes its
/// result atomically after that, so a rerun skips it. The tables are hparams.csv and zoo.csv (docs/zoo.md). The data
/// is needed to run jobs, not to collect them.
/// </summary>
public sealed class ZooExperiment(ZooRecipe recipe, string runDir, ZooData? data = null) : JobExperiment<ZooJob, ZooNetworkResult>(runDir)
{
    public const string ExperimentName = "zoo";

    public ZooRecipe Recipe { get; } = recipe;
    public ZooFolder Folder => new(RunDir);

    public override string Name => ExperimentName;
    public override string RecipeJson => Recipe.IdentityJson();
    public override JsonNode? ManifestConfig => JsonSerializer.SerializeToNode(Recipe, ZooJson.Options);
    public override IReadOnlyDictionary<string, ulong> Seeds => new Dictionary<string, ulong>
    {
        ["seed"] = Recipe.Seed, ["architecture"] = ZooNetworks.ArchitectureSeed(Recipe.Seed),
    };
    public override JsonSerializerOptions Json => ZooJson.Options;

    public override IReadOnlyList<ZooJob> Jobs() => AllJobs(Recipe);

    /// <summary>Row by row, each row in every variant of the recipe.</summary>
    public static IReadOnlyList<ZooJob> AllJobs(ZooRecipe recipe) =>
        [.. Enumerable.Range(0, recipe.Networks).SelectMany(i => recipe.Variants.Select(v => new ZooJob(i, v)))];

    public override string JobId(ZooJob job) => job.Id;
    public override string JobName(ZooJob job) => job.ToString();
    public override bool Diverged(ZooNetworkResult result) => result.Diverged;

    public override string Describe(ZooNetworkResult r) => Line(r);

    public static string Line(ZooNetworkResult r) =>
        r.Diverged
            ? $"diverged ({r.DivergenceReason}), recorded"
            : string.Create(CultureInfo.InvariantCulture,
                $"test accuracy {100 * r.TestAccuracy:0.00}%, train loss {r.TrainLoss:0.000} (lr {r.Hyperparameters.LearningRate:0.####}, {r.Hyperparameters.Epochs} epochs, {r.Seconds:0.0} s)");

    public override ZooNetworkResult RunJob(ZooJob job, JobContext context)
    {
        var zooData = data ?? throw new InvalidOperationException("ZooExperiment needs the data to run jobs.");
        return ZooNetworks.Train(zooData, Folder, job, m => context.Report(new ZooEpoch(job, m)), context.Cancel).Result;
    }

    public override JsonNode? WriteTables(IReadOnlyList<ZooNetworkResult> finished, string? timing)
    {
        Folder.WriteTables(Recipe, finished);
        return Headline(finished);
    }

    /// <summary>Per variant: networks finished, diverged, mean test accuracy of the others.</summary>
    public static JsonObject Headline(IEnumerable<ZooNetworkResult> finished)
    {
        var o = new JsonObject();
        foreach (var g in finished.GroupBy(r => r.Variant))
        {
            var ok = g.Where(r => !r.Diverged).ToList();
            o[g.Key.ToString().ToLowerInvariant()] = new JsonObject
            {
                ["networks"] = g.Count(),
                ["diverged"] = g.Count(r => r.Diverged),
                ["mean_test_accuracy"] = ok.Count > 0 ? ok.Average(r => r.TestAccuracy) : null,
                ["mean_train_accuracy"] = ok.Count > 0 ? ok.Average(r => r.TrainAccuracy) : null,
            };
        }
        return o;
    }

    /// <summary>The plan of <paramref name="shard"/>: pending networks and, when <paramref name="shape"/> is given, an
    /// estimate from measured steps (<paramref name="stepsPerEpoch"/> per epoch).</summary>
    public ZooPlan Plan(Shard shard, DatasetShape? shape = null, int stepsPerEpoch = 0)
    {
        var plan = JobEngine.Plan(this, shard);
        var pending = plan.Pending.Select(p => p.Job).ToList();
        double? seconds = shape is null ? null : ZooTiming.Estimate(Recipe, shape, stepsPerEpoch, pending);
        return new ZooPlan(pending, plan.Finished.Count, plan.Total, seconds);
    }
}

/// <summary>What a zoo run will do: its pending networks, those already finished, and the estimated seconds (training only).</summary>
public sealed record ZooPlan(IReadOnlyList<ZooJob> Pending, int Finished, int Total, double? EstimatedSeconds);
