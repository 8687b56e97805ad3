using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsymNet.Data;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Runs;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;
using AsymNet.NN.Optim;
using AsymNet.NN.Optim.Schedules;
using AsymNet.NN.Training;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Training;

/// <summary>What a training run produced.</summary>
public sealed record TrainOutcome(TrainResult Result, string RunFolder, string? Checkpoint, ModelConfig ModelConfig)
{
    /// <summary>What a completed run should not end with (see <see cref="TrainExperiment.Warnings"/>); also in the manifest.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The final metrics and throughput as one JSON object (what `asym train --json` prints).</summary>
    public JsonObject Summary()
    {
        var last = Result.Last;
        return new JsonObject
        {
            ["status"] = Result.Status.ToString().ToLowerInvariant(),
            ["message"] = Result.Message,
            ["epochs"] = Result.Epochs.Count,
            ["steps"] = Result.Steps,
            ["train_loss"] = Num(last?.TrainLoss),
            ["train_accuracy"] = Num(last?.TrainAccuracy),
            ["test_loss"] = Num(last?.TestLoss),
            ["test_accuracy"] = Num(last?.TestAccuracy),
            ["samples_per_second"] = Num(Result.SamplesPerSecond),
            ["train_seconds"] = Num(Result.Epochs.Sum(e => e.TrainSeconds)),
            ["wall_seconds"] = Num(Result.WallSeconds),
            ["run_folder"] = RunFolder,
            ["checkpoint"] = Checkpoint,
            ["warnings"] = new JsonArray([.. Warnings.Select(w => JsonValue.Create(w))]),
        };
    }

    // JSON has no NaN: missing values are null.
    private static JsonNode? Num(double? v) => v is { } d && double.IsFinite(d) ? JsonValue.Create(d) : null;
}

/// <summary>
/// `asym train` as a library call: builds the preset model, trains it on an image dataset with the given optimizer
/// and schedule, evaluates on the test split after every epoch and writes a run folder with manifest.json,
/// metrics.csv (rewritten after every epoch) and checkpoint.safetensors (unless the run diverged).
/// </summary>
public static class TrainExperiment
{
    public const string MetricsFile = "metrics.csv";
    public const string CheckpointFile = "checkpoint.safetensors";

    /// <summary>
    /// Trains into <paramref name="outDir"/>. With <paramref name="resume"/> the folder must hold an interrupted run of
    /// the same configuration (the differing fields are named otherwise); training continues after its last finished
    /// epoch, bit for bit as if it had never stopped.
    /// </summary>
    public static TrainOutcome Run(TrainConfig config, string outDir, string commandLine, bool overwrite = false,
                                   IProgress<TrainingProgress>? progress = null, Action<EpochMetrics>? onEpoch = null,
                                   CancellationToken cancel = default, bool resume = false)
    {
        _ = LrSchedule.Parse(config.Schedule, config.Epochs); // a bad spec fails before the run folder exists
        var modelConfig = ModelFactory.Preset(config.Model, config.Variant, ShapeOf(config.Dataset), config.ArchSeed, config.Strength);
        var (train, test) = Datasets.LoadImages(config.Dataset, DataPaths.Resolve(config.DataDir));
        if (train.ClassCount != modelConfig.Classes)
            throw new ArgumentException($"Dataset {config.Dataset} has {train.ClassCount} classes, the model {modelConfig.Classes}.");
        if (config.TrainSize is { } size && size > train.Count)
            throw new ArgumentException($"--train-size {size:N0} is more than the {train.Count:N0} training images of {config.Dataset}.");

        var seeds = Seeds(config);
        var runConfig = JsonSerializer.SerializeToNode(new { train = config, model = modelConfig }, RunFolder.Json);
        var epochs = new List<EpochMetrics>();
        if (resume) epochs.AddRange(CheckResumable(outDir, runConfig!));
        var run = RunFolder.Create(outDir, "train", commandLine, runConfig, seeds, overwrite || resume);
        var state = new TrainState(run.Path);
        try
        {
            var start = new StartingLoss(progress);
            var (model, result) = Fit(config, modelConfig, train, test, seeds, start, m =>
            {
                epochs.Add(m);
                run.WriteText(MetricsFile, MetricsCsv(epochs));
                onEpoch?.Invoke(m);
            }, cancel, (model, optimizer, m) => state.Save(model, optimizer, m.Epoch, CheckpointMetadata(config, seeds, m)), resume ? state : null);
            if (epochs.Count == 0) run.WriteText(MetricsFile, MetricsCsv(epochs));
            var checkpoint = result.Status == TrainStatus.Completed && File.Exists(state.CheckpointPath) ? state.CheckpointPath : null;
            var outcome = new TrainOutcome(result, run.Path, checkpoint, modelConfig) { Warnings = Warnings(start.Loss, result) };
            run.Complete(result.Status.ToString().ToLowerInvariant(), outcome.Summary());
            return outcome;
        }
        catch (Exception e)
        {
            run.Complete("failed", new JsonObject { ["error"] = e.Message });
            throw;
        }
    }

    private static Dictionary<string, string> CheckpointMetadata(TrainConfig config, IReadOnlyDictionary<string, ulong> seeds, EpochMetrics m) => new()
    {
        ["dataset"] = config.Dataset,
        ["epochs"] = config.Epochs.ToString(CultureInfo.InvariantCulture),
        ["init_seed"] = seeds["init"].ToString(CultureInfo.InvariantCulture),
        ["test_loss"] = m.TestLoss.ToString("R", CultureInfo.InvariantCulture),
        ["test_accuracy"] = m.TestAccuracy.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>The finished epochs' metrics of a run folder that can be resumed with <paramref name="config"/>.</summary>
    private static IReadOnlyList<EpochMetrics> CheckResumable(string outDir, JsonNode config)
    {
        var manifestPath = Path.Combine(outDir, RunFolder.ManifestFile);
        if (!File.Exists(manifestPath)) throw new InvalidOperationException($"--resume: {outDir} holds no train run ({RunFolder.ManifestFile} is missing).");
        var manifest = RunFolder.ReadManifest(outDir);
        if (manifest.Experiment != "train") throw new InvalidOperationException($"--resume: {outDir} holds a '{manifest.Experiment}' run, not a train run.");
        var difference = JobEngine.RecipeDifference(manifest.Config?.ToJsonString() ?? "{}", config.ToJsonString(), manifestPath);
        if (difference.Length > 0)
            throw new InvalidOperationException($"--resume: {outDir} was trained with other options ({difference}); give the same options as that run.");
        var metrics = Path.Combine(outDir, MetricsFile);
        return File.Exists(metrics) ? ParseMetricsCsv(File.ReadAllText(metrics)) : [];
    }

    /// <summary>A completed run's final training loss above this multiple of its first batch's means it blew up without turning NaN.</summary>
    public const double BlowUpFactor = 2;

    /// <summary>
    /// Warnings about a completed run: training that ends far above its starting loss (the first batch's, at the random
    /// init) made the network worse than untrained, although no loss became NaN or infinite.
    /// </summary>
    public static IReadOnlyList<string> Warnings(double startingLoss, TrainResult result) =>
        result is { Status: TrainStatus.Completed, Last: { } last } && double.IsFinite(startingLoss) && last.TrainLoss > BlowUpFactor * startingLoss
            ? [string.Create(CultureInfo.InvariantCulture,
                $"training ended with train loss {last.TrainLoss:G4}, more than {BlowUpFactor:0}× its starting loss {startingLoss:G4}: the run blew up without becoming NaN; {BlowUpAdvice}")]
            : [];

    private const string BlowUpAdvice = "its checkpoint is worse than an untrained network (try a lower --lr).";

    /// <summary>Records the loss of the first training step (the model at its init) and passes every report on.</summary>
    private sealed class StartingLoss(IProgress<TrainingProgress>? inner) : IProgress<TrainingProgress>
    {
        public double Loss { get; private set; } = double.NaN;

        public void Report(TrainingProgress value)
        {
            if (double.IsNaN(Loss) && value is { Phase: TrainingPhase.Train, Epoch: 0, Step: 1 }) Loss = value.RunningLoss;
            inner?.Report(value);
        }
    }

    /// <summary>The seeds of a run, all derived from <see cref="TrainConfig.Seed"/> (and the architecture seed).</summary>
    public static Dictionary<string, ulong> Seeds(TrainConfig config) => new()
    {
        ["seed"] = config.Seed,
        ["init"] = Rng.ForKey(config.Seed, "init").NextUInt64(),
        ["data"] = Rng.ForKey(config.Seed, "data").NextUInt64(),
        ["subset"] = Rng.ForKey(config.Seed, "subset").NextUInt64(),
        ["arch"] = config.ArchSeed,
    };

    /// <summary>
    /// The training itself, without a run folder: builds the model from <paramref name="modelConfig"/> and the loaders,
    /// trains with the configured optimizer and schedule and evaluates on <paramref name="test"/> after every epoch.
    /// `asym train`/`asym demo` (through <see cref="Run"/>) and `asym bench` share it, so the benchmark times exactly what
    /// users run.
    /// </summary>
    public static (Model Model, TrainResult Result) Fit(TrainConfig config, ModelConfig modelConfig, ImageDataset train, ImageDataset test,
        IReadOnlyDictionary<string, ulong> seeds, IProgress<TrainingProgress>? progress = null, Action<EpochMetrics>? onEpoch = null,
        CancellationToken cancel = default, Action<Model, Optimizer, EpochMetrics>? saveEpoch = null, TrainState? resumeFrom = null)
    {
        var schedule = LrSchedule.Parse(config.Schedule, config.Epochs);
        var model = ModelFactory.Create(modelConfig, seeds["init"]);
        var optimizer = CreateOptimizer(config, model);
        var done = resumeFrom?.Restore(model, optimizer) ?? 0;
        var indices = config.TrainSize is { } n ? DataSplit.Subset(DataSplit.All(train.Count), n, new Rng(seeds["subset"])) : null;
        using var trainLoader = new ImageLoader(train, new LoaderOptions { BatchSize = config.BatchSize }, new Rng(seeds["data"]), indices);
        trainLoader.StartAt(done);
        using var testLoader = new ImageLoader(test, LoaderOptions.Eval(config.EvalBatchSize), new Rng(0));
        var trainer = new Trainer(model, optimizer, new TrainOptions
        {
            Epochs = config.Epochs, FirstEpoch = done, LearningRate = config.LearningRate, Schedule = schedule, LabelSmoothing = config.LabelSmoothing,
        });
        return (model, trainer.Fit(trainLoader, testLoader, progress, m =>
        {
            saveEpoch?.Invoke(model, optimizer, m);
            onEpoch?.Invoke(m);
        }, cancel));
    }

    /// <summary>The model shape a dataset implies (mnist10k has MNIST's shape).</summary>
    public static DatasetShape ShapeOf(string dataset) =>
        dataset.Equals("mnist10k", StringComparison.OrdinalIgnoreCase) ? DatasetShape.Mnist : DatasetShape.ForName(dataset);

    public static Optimizer CreateOptimizer(TrainConfig config, Model model)
    {
        var ps = OptimParameter.From(model);
        return config.Optimizer.ToLowerInvariant() switch
        {
            "sgd" => new Sgd(ps, config.LearningRate, config.Momentum, nesterov: config.Nesterov, weightDecay: config.WeightDecay ?? 0),
            "adam" => new Adam(ps, config.LearningRate, weightDecay: config.WeightDecay ?? 0),
            "adamw" => new AdamW(ps, config.LearningRate, weightDecay: config.WeightDecay ?? 0.01),
            _ => throw new ArgumentException($"Unknown optimizer '{config.Optimizer}'; use sgd, adam or adamw."),
        };
    }

    /// <summary>metrics.csv: one row per completed epoch, invariant culture, round-trip precision.</summary>
    public static string MetricsCsv(IEnumerable<EpochMetrics> epochs)
    {
        var sb = new StringBuilder("epoch,train_loss,train_accuracy,test_loss,test_accuracy,lr,train_seconds,eval_seconds,samples,samples_per_second\n");
        foreach (var e in epochs)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{e.Epoch},{F(e.TrainLoss)},{F(e.TrainAccuracy)},{F(e.TestLoss)},{F(e.TestAccuracy)},{F(e.LearningRate)},");
            sb.Append(CultureInfo.InvariantCulture, $"{F(e.TrainSeconds)},{F(e.EvalSeconds)},{e.Samples},{F(e.SamplesPerSecond)}\n");
        }
        return sb.ToString();
    }

    /// <summary>The epochs of a metrics.csv written by <see cref="MetricsCsv"/> (empty fields are NaN).</summary>
    public static IReadOnlyList<EpochMetrics> ParseMetricsCsv(string csv)
    {
        static double D(string s) => s.Length == 0 ? double.NaN : double.Parse(s, CultureInfo.InvariantCulture);
        return [.. csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).Select(c =>
            new EpochMetrics(int.Parse(c[0], CultureInfo.InvariantCulture), D(c[1]), D(c[2]), D(c[3]), D(c[4]), D(c[5]), D(c[6]), D(c[7]),
                int.Parse(c[8], CultureInfo.InvariantCulture)))];
    }

    private static string F(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}
