using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Runs;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;
using AsymNet.Symmetry.Interpolation;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Lmc;

/// <summary>
/// The paper's linear-mode-connectivity experiment (Table 1, Figure 3) as a job list on <see cref="JobEngine"/>: for each
/// pair index and each kind of network (standard, σ-Asym, W-Asym) two networks are trained with independent init and
/// data-order seeds and interpolated; the standard pair also gives the re-basin curve. Each finished job is written
/// atomically to pairs/&lt;family&gt;-&lt;pair&gt;.json, and a rerun of the same folder skips it, so a killed run
/// resumes where it stopped. The task (data and training) is needed to run jobs, not to collect them.
/// </summary>
public sealed class LmcExperiment(LmcRecipe recipe, string runDir, ILmcTask? task = null) : JobExperiment<LmcJob, LmcPairResult>(runDir)
{
    public const string RecipeFile = JobEngine.RecipeFile;
    public const string PairsDir = "pairs";
    public const string CheckpointsDir = "checkpoints";
    public const string ExperimentName = "lmc";

    public LmcRecipe Recipe { get; } = recipe;

    public override string Name => ExperimentName;
    public override string RecipeJson => Recipe.IdentityJson();
    public override JsonNode? ManifestConfig => JsonSerializer.SerializeToNode(Recipe, LmcJson.Options);
    public override IReadOnlyDictionary<string, ulong> Seeds => new Dictionary<string, ulong> { ["seed"] = Recipe.Seed };
    public override string JobsDir => PairsDir;
    public override JsonSerializerOptions Json => LmcJson.Options;

    /// <summary>Seeds of pair <paramref name="pair"/>: one architecture seed (masks, F, FiGLU) shared by both networks.</summary>
    public static ulong ArchitectureSeed(ulong seed, int pair) => Rng.ForKey(seed, $"lmc/pair{pair}/architecture").NextUInt64();

    public static ulong InitSeed(ulong seed, int pair, Variant family, int network) =>
        Rng.ForKey(seed, $"lmc/pair{pair}/{family.ToString().ToLowerInvariant()}/net{network}/init").NextUInt64();

    public static ulong DataSeed(ulong seed, int pair, Variant family, int network) =>
        Rng.ForKey(seed, $"lmc/pair{pair}/{family.ToString().ToLowerInvariant()}/net{network}/data").NextUInt64();

    /// <summary>Every job the recipe asks for, in run order (pairs first, so an interrupted run has whole pairs).</summary>
    public override IReadOnlyList<LmcJob> Jobs()
    {
        var families = Recipe.Variants.Select(v => v.Family()).Distinct().ToList();
        return Enumerable.Range(0, Recipe.Pairs)
            .SelectMany(p => families.Select(f => new LmcJob(p, f, Recipe.Variants.Where(v => v.Family() == f).ToList())))
            .ToList();
    }

    public override string JobId(LmcJob job) => Path.GetFileNameWithoutExtension(LmcPairResult.FileName(job.Pair, job.Family));
    public override string JobName(LmcJob job) => job.Name;

    /// <summary>A stored pair covers the job when it diverged or holds every curve the job asks for now.</summary>
    public override bool Covers(LmcJob job, LmcPairResult result) =>
        result.Diverged || job.Curves.All(v => result.Curves.Any(c => c.Variant == v));

    public override bool Diverged(LmcPairResult result) => result.Diverged;

    public override string Describe(LmcPairResult result) => DescribePair(result);

    /// <summary>"standard barrier 0.0712, rebasin barrier 0.0105 (41 s)" or "diverged, recorded".</summary>
    public static string DescribePair(LmcPairResult r) =>
        r.Diverged
            ? "diverged, recorded"
            : string.Join(", ", r.Curves.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Variant.Name()} barrier {c.MidpointBarrier:0.0000}"))) +
              string.Create(CultureInfo.InvariantCulture, $" ({r.Seconds:0} s)");

    public override JsonNode? WriteTables(IReadOnlyList<LmcPairResult> finished, string? timing) =>
        JsonSerializer.SerializeToNode(LmcReport.Write(RunDir, Recipe, finished, timing), LmcJson.Options);

    /// <summary>The plan: which jobs remain, and (when <paramref name="task"/> is given) an estimate from a measured
    /// training step and test evaluation.</summary>
    public LmcPlan Plan(ILmcTask task, bool estimate, Shard? shard = null)
    {
        var plan = JobEngine.Plan(this, shard ?? Shard.All);
        var pending = plan.Pending.Select(p => p.Job).ToList();
        var finished = plan.Finished.Select(p => p.Job).ToList();
        // A tuned recipe trains each kind for its own epochs; the plan states the longest.
        var steps = Recipe.Variants.Max(v => Recipe.For(v.Family()).Epochs) * task.StepsPerEpoch;
        double? seconds = null;
        if (estimate && pending.Count > 0)
        {
            seconds = 0;
            var warm = false;
            foreach (var family in pending.Select(j => j.Family).Distinct())
            {
                var model = ModelFactory.Create(Config(task, family, 0), 0);
                // The process's first measurement also pays for compiling the training code: measure twice.
                if (!warm) task.Measure(model);
                warm = true;
                var (step, eval) = task.Measure(model);
                var familyJobs = pending.Where(j => j.Family == family).ToList();
                var evaluations = familyJobs.Sum(j => 2 + j.Curves.Count * LmcCurve.Lambdas(Recipe.Points).Length);
                seconds += familyJobs.Count * 2 * Recipe.For(family).Epochs * task.StepsPerEpoch * step + evaluations * eval;
            }
        }
        // Under the policy runs[:N], N jobs run at once (each measured above with single-threaded BLAS).
        if (seconds is { } total) seconds = total / Math.Min(IndependentRuns.PolicyParallelism, Math.Max(1, pending.Count));
        return new LmcPlan(Recipe, RunDir, task.Description, pending, finished, seconds, steps);
    }

    private ModelConfig Config(ILmcTask task, Variant family, int pair) =>
        ModelPresets.Get(Recipe.Model, family, task.Shape, ArchitectureSeed(Recipe.Seed, pair));

    /// <summary>
    /// Runs the pending jobs of <paramref name="shard"/> on <see cref="JobEngine"/> and (unless it is one shard of
    /// several) rewrites the tables and the figure from all finished jobs. Under the threading policy runs[:N], N jobs
    /// run side by side with single-threaded BLAS; a job's result depends only on its seeds, so it is the same either
    /// way. <paramref name="parallel"/> overrides the policy's number. Events are delivered one at a time.
    /// </summary>
    public LmcRunResult Run(ILmcTask task, Action<LmcEvent>? onEvent = null, CancellationToken cancel = default, string commandLine = "asym lmc",
        int? parallel = null, Shard? shard = null)
    {
        var runner = new LmcExperiment(Recipe, RunDir, task);
        var jobs = Jobs();
        var result = JobEngine.Run(runner, new JobRunOptions
        {
            CommandLine = commandLine, Parallel = parallel, Shard = shard ?? Shard.All, Cancel = cancel,
            OnEvent = onEvent is null ? null : e => onEvent(Translate(jobs, e)),
        });
        return Result(result);
    }

    /// <summary>Rebuilds the tables of a folder whose jobs ran as shards; the result names the pairs still missing.</summary>
    public LmcRunResult Collect(string commandLine = "asym collect") => Result(JobEngine.Collect(this, commandLine));

    /// <summary><c>asym collect</c> of an LMC folder, with the recipe its manifests recorded.</summary>
    public static CollectOutcome CollectFolder(string runDir, JsonNode config, string commandLine)
    {
        var recipe = config.Deserialize<LmcRecipe>(LmcJson.Options) ?? throw new InvalidDataException($"{runDir}: the manifest's config is not an LMC recipe.");
        var r = new LmcExperiment(recipe, runDir).Collect(commandLine);
        var headline = string.Join("; ", r.Summaries.Where(s => s.Pairs > 0)
            .Select(s => $"{s.Variant.Label()} barrier {LmcReport.Num(s.BarrierMean)} ± {LmcReport.Num(s.BarrierStd)} ({s.Pairs} pairs)"));
        return new CollectOutcome(ExperimentName, r.RunDir, r.Pairs.Count, r.Missing, r.Failed, headline);
    }

    private LmcRunResult Result(JobRunResult<LmcPairResult> r)
    {
        var ordered = r.Finished.OrderBy(p => p.Pair).ThenBy(p => p.Family).ToList();
        return new LmcRunResult(Recipe, RunDir, LmcStatistics.Summarize(Recipe.Variants, ordered), r.Finished, r.Skipped, r.Ran, r.Wall)
        {
            Missing = r.Missing,
            Failed = r.Failed,
        };
    }

    private static LmcEvent Translate(IReadOnlyList<LmcJob> jobs, JobEvent e) => e switch
    {
        JobStarted s => new LmcJobStarted(jobs[s.Index], s.Index, jobs.Count),
        JobProgress { Payload: LmcEvent inner } => inner,
        JobFinished f => new LmcJobFinished(jobs[f.Index], (LmcPairResult)f.Result),
        JobFailed f => new LmcJobFailed(jobs[f.Index], f.Error),
        _ => throw new InvalidOperationException($"unexpected job event {e}"),
    };

    public override LmcPairResult RunJob(LmcJob job, JobContext context) =>
        RunJob(task ?? throw new InvalidOperationException("LmcExperiment needs a task to run jobs."), job, e => context.Report(e), context.Cancel);

    private LmcPairResult RunJob(ILmcTask task, LmcJob job, Action<LmcEvent>? onEvent, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var config = Config(task, job.Family, job.Pair);
        var networks = new List<LmcNetworkResult>();
        var models = new List<Model>();
        var trainFamily = job.Curves[0];
        for (var k = 0; k < 2; k++)
        {
            var netClock = Stopwatch.StartNew();
            var initSeed = InitSeed(Recipe.Seed, job.Pair, job.Family, k);
            var dataSeed = DataSeed(Recipe.Seed, job.Pair, job.Family, k);
            var model = ModelFactory.Create(config, initSeed);
            var network = k;
            var outcome = task.Train(model, trainFamily, dataSeed, p => onEvent?.Invoke(new LmcNetworkEpoch(job, network, p)), cancel);
            var (loss, accuracy) = outcome.Diverged ? (double.NaN, double.NaN) : task.Evaluate(model);
            var result = new LmcNetworkResult
            {
                InitSeed = initSeed, DataSeed = dataSeed, Diverged = outcome.Diverged, DivergenceReason = outcome.Reason,
                FinalTrainLoss = outcome.FinalTrainLoss, Epochs = outcome.Epochs, TestLoss = loss, TestAccuracy = accuracy, Seconds = netClock.Elapsed.TotalSeconds,
            };
            networks.Add(result);
            models.Add(model);
            if (Recipe.SaveCheckpoints && !outcome.Diverged) SaveCheckpoint(model, job, $"net{k}", result);
            onEvent?.Invoke(new LmcNetworkTrained(job, k, result));
        }

        var curves = new List<LmcCurveResult>();
        if (networks.All(n => !n.Diverged))
        {
            var work = ModelFactory.Create(config, 0);
            foreach (var variant in job.Curves)
            {
                cancel.ThrowIfCancellationRequested();
                var (a, b) = (models[0], models[1]);
                string? alignment = null;
                if (variant == LmcVariant.Rebasin)
                {
                    b = Copy(task, config, models[1]);
                    alignment = task.Align(a, b, Rng.ForKey(Recipe.Seed, $"lmc/pair{job.Pair}/rebasin"));
                    if (Recipe.SaveCheckpoints) SaveCheckpoint(b, job, "net1-rebasin", networks[1]);
                }
                onEvent?.Invoke(new LmcCurveStarted(job, variant, LmcCurve.Lambdas(Recipe.Points).Length));
                var curve = LinearModeConnectivity.Curve(a, b, work, Recipe.Points, m => task.Evaluate(m), task.StatisticsBatches,
                    p => onEvent?.Invoke(new LmcCurvePoint(job, variant, p)));
                curves.Add(LmcCurveResult.From(variant, curve, alignment) with { DistancePerParameter = ParameterDistance.PerParameter(a, b) });
            }
        }
        return new LmcPairResult
        {
            Pair = job.Pair, Family = job.Family, ArchitectureSeed = config.ArchitectureSeed,
            Networks = networks, Curves = curves, Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>checkpoints/&lt;family&gt;-&lt;pair&gt;-&lt;name&gt;.safetensors with the seeds and test metrics in its metadata.</summary>
    private void SaveCheckpoint(Model model, LmcJob job, string name, LmcNetworkResult network)
    {
        var ci = CultureInfo.InvariantCulture;
        var file = Path.Combine(RunDir, CheckpointsDir, $"{job.Family.ToString().ToLowerInvariant()}-{job.Pair:D3}-{name}.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        Checkpoint.Save(file, model, new Dictionary<string, string>
        {
            ["experiment"] = "lmc",
            ["dataset"] = Recipe.Dataset,
            ["epochs"] = Recipe.For(job.Family).Epochs.ToString(ci),
            ["pair"] = job.Pair.ToString(ci),
            ["init_seed"] = network.InitSeed.ToString(ci),
            ["data_seed"] = network.DataSeed.ToString(ci),
            ["test_loss"] = network.TestLoss.ToString("R", ci),
            ["test_accuracy"] = network.TestAccuracy.ToString("R", ci),
        });
    }

    private static Model Copy(ILmcTask task, ModelConfig config, Model source)
    {
        var copy = ModelFactory.Create(config, 0);
        copy.LoadStateDict(source.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value));
        return copy;
    }
}
