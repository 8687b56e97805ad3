using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Zoo;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;
using AsymNet.Symmetry.Interpolation;

namespace AsymNet.Experiments.Mli;

/// <summary>One network's MLI curve: the zoo network (its hyperparameters and metrics), the training loss at each α, and its statistics (null when it diverged).</summary>
public sealed record MliNetworkResult
{
    public required ZooNetworkResult Network { get; init; }
    public IReadOnlyList<double> Alphas { get; init; } = [];
    public IReadOnlyList<double> TrainLosses { get; init; } = [];
    public MliStatistics? Statistics { get; init; }
}

/// <summary>
/// <c>asym mli</c> (paper Table 4, Figure 5) on the <see cref="JobEngine"/>: one job per (hyperparameter row, variant).
/// A job trains the network with the zoo's job (<see cref="ZooNetworks.Train"/>, writing θ₀ and θ_T into this folder,
/// which therefore is a zoo too) or, with a zoo folder in the recipe, loads that zoo's θ₀ and θ_T; then it measures
/// the training loss along (1−α)θ₀ + αθ_T with the LMC interpolation (<see cref="LinearModeConnectivity"/>: fixed W-Asym
/// entries and FiGLU matrices are copied, not interpolated) and the zoo's train-loss evaluation (label smoothing
/// included, augmented training images with a fixed augmentation seed, so every α sees the same batches).
/// </summary>
public sealed class MliExperiment(MliRecipe recipe, string runDir, ZooData? data = null) : JobExperiment<ZooJob, MliNetworkResult>(runDir)
{
    public const string ExperimentName = "mli";

    public MliRecipe Recipe { get; } = recipe;

    public override string Name => ExperimentName;
    public override string RecipeJson => Recipe.IdentityJson();
    public override JsonNode? ManifestConfig => JsonSerializer.SerializeToNode(Recipe, ZooJson.Options);
    public override IReadOnlyDictionary<string, ulong> Seeds => new Dictionary<string, ulong>
    {
        ["seed"] = Recipe.Zoo.Seed, ["architecture"] = ZooNetworks.ArchitectureSeed(Recipe.Zoo.Seed),
    };
    public override JsonSerializerOptions Json => ZooJson.Options;
    public override IReadOnlyList<ZooJob> Jobs() => ZooExperiment.AllJobs(Recipe.Zoo);
    public override string JobId(ZooJob job) => job.Id;
    public override string JobName(ZooJob job) => job.ToString();
    public override bool Diverged(MliNetworkResult result) => result.Network.Diverged;

    public override string Describe(MliNetworkResult r) =>
        r.Statistics is not { } s
            ? ZooExperiment.Line(r.Network)
            : string.Create(CultureInfo.InvariantCulture,
                $"Δ {s.Delta:0.0000} ({(s.Monotonic ? "monotonic" : "not monotonic")}), local convexity {s.LocalConvexity:0.00}, global {s.GlobalConvexity:0.00}; {ZooExperiment.Line(r.Network)}");

    public override MliNetworkResult RunJob(ZooJob job, JobContext context)
    {
        var zooData = data ?? throw new InvalidOperationException("MliExperiment needs the data to run jobs.");
        var (network, init, trained) = Recipe.ZooDir is { } dir ? FromZoo(dir, job) : ZooNetworks.Train(zooData, new ZooFolder(RunDir), job, null, context.Cancel);
        if (trained is null) return new MliNetworkResult { Network = network };
        var work = ModelFactory.Create(init.Config, 0);
        var smoothing = (float)network.Hyperparameters.LabelSmoothing;
        var curve = LinearModeConnectivity.Curve(init, trained, work, Recipe.Points, m =>
        {
            context.Cancel.ThrowIfCancellationRequested();
            var r = zooData.TrainLoss(m, smoothing, context.Cancel);
            return (r.Loss, r.Accuracy);
        });
        var losses = curve.Points.Select(p => p.Loss).ToList();
        if (losses.Any(l => !double.IsFinite(l)))
            return new MliNetworkResult { Network = network with { Diverged = true, DivergenceReason = "a loss along the interpolation is not finite" } };
        return new MliNetworkResult
        {
            Network = network, Alphas = [.. curve.Points.Select(p => p.Lambda)], TrainLosses = losses, Statistics = MliStatistics.Of(losses),
        };
    }

    /// <summary>θ₀ and θ_T of a network of the zoo folder <paramref name="dir"/> (null θ_T when zoo.csv records it as diverged).</summary>
    private ZooTrainedNetwork FromZoo(string dir, ZooJob job)
    {
        var folder = new ZooFolder(dir);
        var network = folder.ReadZooCsv().FirstOrDefault(r => r.Index == job.Index && r.Variant == job.Variant)
                      ?? throw new InvalidOperationException($"The zoo in {dir} has no finished network {job} in {ZooFolder.ZooCsvFile}.");
        var initPath = folder.InitPath(job.Variant, job.Index);
        if (!File.Exists(initPath)) throw new InvalidOperationException($"{initPath} is missing: MLI needs θ₀, which asym zoo saves under {ZooFolder.InitDir}/.");
        var init = Checkpoint.Load(initPath);
        return network.Diverged ? new ZooTrainedNetwork(network, init, null) : new ZooTrainedNetwork(network, init, Checkpoint.Load(folder.TrainedPath(job.Variant, job.Index)));
    }

    /// <summary><c>asym collect</c>: the MLI tables of a folder whose networks ran as shards.</summary>
    public static CollectOutcome CollectFolder(string runDir, JsonNode config, string commandLine)
    {
        var recipe = config.Deserialize<MliRecipe>(ZooJson.Options) ?? throw new InvalidDataException($"{runDir}: the manifest's config is not an MLI recipe.");
        var r = JobEngine.Collect(new MliExperiment(recipe, runDir), commandLine);
        var headline = string.Join("; ", MliReport.Summarize(r.Finished).Select(s =>
            string.Create(CultureInfo.InvariantCulture, $"{s.Group}: {s.PercentMonotonic:0.0}% monotonic, Δ {MliReport.Pm(s.Delta)} ({s.Networks} networks)")));
        return new CollectOutcome(ExperimentName, r.RunDir, r.Finished.Count, r.Missing, r.Failed, headline);
    }

    public override JsonNode? WriteTables(IReadOnlyList<MliNetworkResult> finished, string? timing) =>
        JsonSerializer.SerializeToNode(MliReport.Write(RunDir, Recipe, finished, timing), ZooJson.Options);
}
