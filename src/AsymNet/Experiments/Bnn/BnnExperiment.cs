using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsymNet.Bayes;
using AsymNet.Data;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Runs;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;
using AsymNet.NN.Optim;
using AsymNet.NN.Training;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.Experiments.Bnn;

/// <summary>
/// The paper's Bayesian-neural-network experiment (Table 2, Figure 4) on <see cref="JobEngine"/>: one job trains one
/// run of one (model, variant) by variational inference (ELRG posterior on every Linear and Conv2d, ELBO = mean NLL +
/// KL/N_data, Adam, one sample per step) through the one <see cref="Trainer"/>, then evaluates the S-sample predictive
/// at half and all of the epochs. A job writes its predictions and checkpoints before its result, so a finished job is
/// complete; a rerun skips it. Data is loaded on first use (collecting needs none).
/// </summary>
public sealed class BnnExperiment(BnnRecipe recipe, string runDir, Func<string, (ImageDataset Train, ImageDataset Test)>? loadData = null)
    : JobExperiment<BnnJob, BnnRunResult>(runDir)
{
    public const string ExperimentName = "bnn";
    public const string PredictionsDir = "predictions";
    public const string CheckpointsDir = "checkpoints";

    private readonly Dictionary<string, BnnData> _data = [];
    private readonly Lock _dataGate = new();

    public BnnRecipe Recipe { get; } = recipe;

    public override string Name => ExperimentName;
    public override string RecipeJson => Recipe.IdentityJson();
    public override JsonNode? ManifestConfig => JsonSerializer.SerializeToNode(Recipe, BnnRecipe.Json);
    public override IReadOnlyDictionary<string, ulong> Seeds => new Dictionary<string, ulong> { ["seed"] = Recipe.Seed };
    public override string JobsDir => "runs";
    public override JsonSerializerOptions Json => BnnRecipe.Json;

    /// <summary>Runs first, so an interrupted run has every (model, variant) of its first runs.</summary>
    public override IReadOnlyList<BnnJob> Jobs() =>
        [.. from r in Enumerable.Range(0, Recipe.Runs) from m in Recipe.Models from v in Recipe.Variants select new BnnJob(m.Name, v, r)];

    public override string JobId(BnnJob job) => job.Id;
    public override bool Diverged(BnnRunResult result) => result.Diverged;

    public override string Describe(BnnRunResult r) =>
        r.Diverged ? $"diverged, recorded ({r.DivergenceReason})"
            : string.Create(CultureInfo.InvariantCulture,
                $"test NLL {r.Final?.TestNll:0.000}, accuracy {100 * r.Final?.TestAccuracy:0.00}%, ECE {r.Final?.Ece:0.000}, train loss {r.Final?.TrainLoss:0.000} ({r.Seconds:0} s)");

    public override JsonNode? WriteTables(IReadOnlyList<BnnRunResult> finished, string? timing) =>
        JsonSerializer.SerializeToNode(BnnReport.Write(RunDir, Recipe, finished, timing), BnnRecipe.Json);

    public BnnModelRecipe Spec(string model) =>
        Recipe.Models.FirstOrDefault(m => m.Name == model) ?? throw new ArgumentException($"The recipe has no model '{model}'.");

    /// <summary>The data of a dataset, loaded once and shared by the jobs that use it.</summary>
    public BnnData Data(string dataset)
    {
        lock (_dataGate)
        {
            if (_data.TryGetValue(dataset, out var d)) return d;
            var load = loadData ?? throw new InvalidOperationException("BnnExperiment needs a data loader to run jobs.");
            return _data[dataset] = new BnnData(Recipe, dataset, load(dataset));
        }
    }

    /// <summary>The job's seeds by name: masks and F, trainable init, data order, posterior noise, V init.</summary>
    public IReadOnlyDictionary<string, ulong> SeedsOf(BnnJob job) =>
        new[] { "architecture", "init", "data", "noise", "v_init" }.ToDictionary(k => k, k => Recipe.SeedFor(job, k));

    /// <summary>The variational network a job trains (μ from the preset's init, V as the authors initialise it).</summary>
    public VariationalNetwork Network(BnnJob job, DatasetShape shape)
    {
        var spec = Spec(job.Model);
        var seeds = SeedsOf(job);
        var config = ModelPresets.Get(spec.Preset, job.Variant, shape, seeds["architecture"]);
        return new VariationalNetwork(ModelFactory.Create(config, seeds["init"]), spec.Posterior, seeds["noise"], new Rng(seeds["v_init"]));
    }

    /// <summary>One optimiser step's trainer: Adam over μ, V (and learned log s), norm parameters; ELBO = NLL + KL/N.</summary>
    public static Trainer Trainer(VariationalNetwork net, BnnModelRecipe spec, long klCount, int epochs) =>
        new(net, new Adam(OptimParameter.From(net), spec.LearningRate),
            new TrainOptions { Epochs = epochs, LearningRate = spec.LearningRate, ExtraLoss = () => Ops.MulScalar(net.Kl(), (float)(1.0 / klCount)) });

    public override BnnRunResult RunJob(BnnJob job, JobContext context)
    {
        var clock = Stopwatch.StartNew();
        var spec = Spec(job.Model);
        var data = Data(spec.Dataset);
        var net = Network(job, data.Shape);
        var trainer = Trainer(net, spec, data.KlCount, Recipe.Epochs);
        var losses = new StepLosses(Recipe.LossWindow);
        var epochs = new List<BnnEpoch>();
        double? half = null;
        PredictiveResult? final = null;
        var epochClock = Stopwatch.StartNew();
        using var loader = data.TrainLoader(SeedsOf(job)["data"]);
        using var test = data.TestLoader();
        var result = trainer.Fit(loader, null, losses, m =>
        {
            double kl;
            using (GradMode.NoGrad()) kl = net.Kl().Item() / (double)data.KlCount;
            PredictiveMetrics? metrics = null;
            if (m.Epoch == Recipe.HalfEpoch || m.Epoch == Recipe.Epochs)
            {
                var p = Predictive.Evaluate(net, test, data.Shape.Classes, Recipe.TestSamples, context.Cancel) ?? throw new OperationCanceledException();
                metrics = p.Metrics();
                if (m.Epoch == Recipe.HalfEpoch) half = metrics.Accuracy;
                if (m.Epoch == Recipe.Epochs) final = p;
            }
            var epoch = new BnnEpoch
            {
                Epoch = m.Epoch, TrainLoss = losses.WindowMean, TrainNll = m.TrainLoss, KlPerN = kl,
                TestNll = metrics?.Nll, TestAccuracy = metrics?.Accuracy, Ece = metrics?.Ece, Seconds = epochClock.Elapsed.TotalSeconds,
            };
            epochClock.Restart();
            epochs.Add(epoch);
            context.Report(new BnnEpochProgress(job, epoch, Recipe.Epochs));
        }, context.Cancel);
        if (result.Status == TrainStatus.Cancelled) throw new OperationCanceledException(result.Message);
        var diverged = result.Status == TrainStatus.Diverged;
        if (!diverged && final is not null)
        {
            WritePredictions(job, final);
            SaveCheckpoints(job, net, spec);
        }
        return new BnnRunResult
        {
            Model = job.Model, Variant = job.Variant, Run = job.Run, Dataset = spec.Dataset, Seeds = SeedsOf(job), Diverged = diverged,
            DivergenceReason = result.Message, Epochs = epochs, HalfEpochAccuracy = half,
            RandomParameters = net.Posteriors.Sum(p => p.RandomCount()), Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    public string PredictionsPath(BnnJob job) => Path.Combine(RunDir, PredictionsDir, job.Id + ".csv");

    /// <summary>predictions/&lt;job&gt;.csv: index, label, p_0 … p_{C−1} (the predictive mean, round-trip precision).</summary>
    private void WritePredictions(BnnJob job, PredictiveResult p)
    {
        var path = PredictionsPath(job);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("index,label");
        for (var c = 0; c < p.Classes; c++) sb.Append(ci, $",p_{c}");
        sb.Append('\n');
        for (var i = 0; i < p.Labels.Length; i++)
        {
            sb.Append(ci, $"{p.Indices[i]},{p.Labels[i]}");
            for (var c = 0; c < p.Classes; c++) sb.Append(',').Append(p.Probabilities[i * p.Classes + c].ToString("R", ci));
            sb.Append('\n');
        }
        BnnReport.WriteText(path, sb.ToString());
    }

    /// <summary>checkpoints/&lt;job&gt;.safetensors (the mean network: loads in <c>asym eval</c>) and
    /// &lt;job&gt;.posterior.safetensors (V and s by layer).</summary>
    private void SaveCheckpoints(BnnJob job, VariationalNetwork net, BnnModelRecipe spec)
    {
        var ci = CultureInfo.InvariantCulture;
        var dir = Path.Combine(RunDir, CheckpointsDir);
        Directory.CreateDirectory(dir);
        var meta = new Dictionary<string, string>
        {
            ["experiment"] = ExperimentName, ["model"] = job.Model, ["variant"] = job.VariantName, ["run"] = job.Run.ToString(ci),
            ["dataset"] = spec.Dataset, ["epochs"] = Recipe.Epochs.ToString(ci), ["rank"] = spec.Posterior.Rank.ToString(ci),
            ["alpha"] = spec.Posterior.Alpha.ToString("R", ci), ["posterior"] = "N(mu, diag(s) + alpha V^T V) per layer; mu = the mean network's weight and bias",
        };
        Checkpoint.Save(Path.Combine(dir, job.Id + ".safetensors"), net.Net, meta);
        Safetensors.Save(Path.Combine(dir, job.Id + ".posterior.safetensors"), net.PosteriorTensors(), meta);
    }

    /// <summary>Rebuilds the tables of a folder from its manifest's recipe (<c>asym collect</c>).</summary>
    public static CollectOutcome CollectFolder(string runDir, JsonNode config, string commandLine)
    {
        var recipe = config.Deserialize<BnnRecipe>(BnnRecipe.Json) ?? throw new InvalidDataException($"{runDir}: the manifest's config is not a BNN recipe.");
        var r = JobEngine.Collect(new BnnExperiment(recipe, runDir), commandLine);
        var rows = BnnReport.Summarize(recipe, r.Finished);
        var headline = string.Join("; ", rows.Where(s => s.Runs > 0).Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Label} accuracy {100 * s.TestAccuracy.Mean:0.00}% ({s.Runs} runs)")));
        return new CollectOutcome(ExperimentName, r.RunDir, r.Finished.Count, r.Missing, r.Failed, headline);
    }

    /// <summary>
    /// Seconds for the pending jobs of <paramref name="shard"/>: per model, a few timed training steps and one timed
    /// evaluation batch (standard variant), scaled to the recipe. Null when nothing is pending.
    /// </summary>
    public double? Estimate(Shard shard)
    {
        var pending = JobEngine.Plan(this, shard).Pending.Select(p => p.Job).ToList();
        if (pending.Count == 0) return null;
        double total = 0;
        foreach (var group in pending.GroupBy(j => j.Model))
        {
            var spec = Spec(group.Key);
            var data = Data(spec.Dataset);
            var net = Network(group.First() with { Variant = Variant.Standard }, data.Shape);
            var trainer = Trainer(net, spec, data.KlCount, 1);
            using var loader = data.TrainLoader(0, prefetch: false);
            var batch = loader.Epoch().First();
            var step = Median(5, () => trainer.TrainStep(batch.Images, batch.Labels));
            var forward = Median(3, () =>
            {
                using var noGrad = GradMode.NoGrad();
                using var scope = new TensorScope();
                net.Forward(batch.Images);
            });
            var evalBatches = Math.Ceiling(data.TestIndex.Length / (double)Recipe.EvalBatchSize);
            var evaluations = Recipe.HalfEpoch == Recipe.Epochs ? 1 : 2;
            total += group.Count() * (Recipe.Epochs * data.StepsPerEpoch * step + evaluations * evalBatches * Recipe.TestSamples * forward);
        }
        return total / Math.Min(IndependentRuns.PolicyParallelism, pending.Count);
    }

    /// <summary>The median of <paramref name="n"/> timings after one untimed warm-up run.</summary>
    private static double Median(int n, Action action)
    {
        action();
        var times = new double[n];
        for (var i = 0; i < n; i++)
        {
            var c = Stopwatch.StartNew();
            action();
            times[i] = c.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[n / 2];
    }

    /// <summary>The train loss as the paper logs it: a rolling mean of the step's data term over the last steps.</summary>
    private sealed class StepLosses(int window) : IProgress<TrainingProgress>
    {
        private readonly Queue<double> _last = new();
        private double _sum;

        public double WindowMean => _last.Count > 0 ? _sum / _last.Count : double.NaN;

        public void Report(TrainingProgress value)
        {
            if (value.Phase != TrainingPhase.Train) return;
            _last.Enqueue(value.StepLoss);
            _sum += value.StepLoss;
            if (_last.Count > window) _sum -= _last.Dequeue();
        }
    }
}

/// <summary>A job's progress: one finished epoch.</summary>
public sealed record BnnEpochProgress(BnnJob Job, BnnEpoch Epoch, int Epochs);
