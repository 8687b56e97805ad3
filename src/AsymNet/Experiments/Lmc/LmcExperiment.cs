using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsymNet.Experiments.Runs;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;
using AsymNet.Symmetry.Interpolation;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Lmc;

/// <summary>
/// The paper's linear-mode-connectivity experiment (Table 1, Figure 3) as a list of independent jobs: for each pair
/// index and each kind of network (standard, σ-Asym, W-Asym) two networks are trained with independent init and
/// data-order seeds and interpolated; the standard pair also gives the re-basin curve. Each finished job is written
/// atomically to pairs/, and a rerun of the same folder skips it, so a killed run resumes where it stopped.
/// </summary>
public sealed class LmcExperiment
{
    public const string RecipeFile = "recipe.json";
    public const string PairsDir = "pairs";
    public const string CheckpointsDir = "checkpoints";

    public LmcExperiment(LmcRecipe recipe, string runDir)
    {
        Recipe = recipe;
        RunDir = Path.GetFullPath(runDir);
    }

    public LmcRecipe Recipe { get; }
    public string RunDir { get; }
    private string PairsPath => Path.Combine(RunDir, PairsDir);

    /// <summary>Seeds of pair <paramref name="pair"/>: one architecture seed (masks, F, FiGLU) shared by both networks.</summary>
    public static ulong ArchitectureSeed(ulong seed, int pair) => Rng.ForKey(seed, $"lmc/pair{pair}/architecture").NextUInt64();

    public static ulong InitSeed(ulong seed, int pair, Variant family, int network) =>
        Rng.ForKey(seed, $"lmc/pair{pair}/{family.ToString().ToLowerInvariant()}/net{network}/init").NextUInt64();

    public static ulong DataSeed(ulong seed, int pair, Variant family, int network) =>
        Rng.ForKey(seed, $"lmc/pair{pair}/{family.ToString().ToLowerInvariant()}/net{network}/data").NextUInt64();

    /// <summary>Every job the recipe asks for, in run order (pairs first, so an interrupted run has whole pairs).</summary>
    public IReadOnlyList<LmcJob> Jobs()
    {
        var families = Recipe.Variants.Select(v => v.Family()).Distinct().ToList();
        return Enumerable.Range(0, Recipe.Pairs)
            .SelectMany(p => families.Select(f => new LmcJob(p, f, Recipe.Variants.Where(v => v.Family() == f).ToList())))
            .ToList();
    }

    /// <summary>
    /// Checks that the folder is new, empty, or holds a run of the same recipe (the number of pairs and the variants may
    /// differ: they only select jobs), then writes the recipe and a fresh manifest.json (status "running"). Throws with
    /// the recipes' differences otherwise.
    /// </summary>
    public RunFolder PrepareFolder(string commandLine)
    {
        var path = Path.Combine(RunDir, RecipeFile);
        if (File.Exists(path))
        {
            var existing = LmcRecipe.FromJson(File.ReadAllText(path));
            if (existing.IdentityJson() != Recipe.IdentityJson())
                throw new InvalidOperationException(
                    $"{RunDir} holds an LMC run with a different recipe ({Difference(existing, Recipe)}). Use another --out, or the same options as that run.");
        }
        else if (Directory.Exists(RunDir) && Directory.EnumerateFileSystemEntries(RunDir).Any())
        {
            throw new InvalidOperationException($"{RunDir} is not empty and holds no LMC run ({RecipeFile} is missing); choose another --out.");
        }
        var run = RunFolder.Create(RunDir, "lmc", commandLine, JsonSerializer.SerializeToNode(Recipe, LmcJson.Options),
            new Dictionary<string, ulong> { ["seed"] = Recipe.Seed }, overwrite: true);
        Directory.CreateDirectory(PairsPath);
        run.WriteText(RecipeFile, Recipe.ToJson());
        return run;
    }

    private static string Difference(LmcRecipe a, LmcRecipe b)
    {
        var ja = System.Text.Json.JsonDocument.Parse(a.IdentityJson()).RootElement;
        var jb = System.Text.Json.JsonDocument.Parse(b.IdentityJson()).RootElement;
        var diffs = ja.EnumerateObject()
            .Where(p => !jb.TryGetProperty(p.Name, out var q) || q.GetRawText() != p.Value.GetRawText())
            .Select(p => $"{p.Name}: {p.Value.GetRawText()} there, {(jb.TryGetProperty(p.Name, out var q) ? q.GetRawText() : "nothing")} now");
        return string.Join("; ", diffs);
    }

    /// <summary>A finished job's result when it holds every curve the job needs now.</summary>
    private LmcPairResult? Finished(LmcJob job)
    {
        var r = LmcPairResult.TryRead(PairsPath, job.Pair, job.Family);
        if (r is null) return null;
        return r.Diverged || job.Curves.All(v => r.Curves.Any(c => c.Variant == v)) ? r : null;
    }

    /// <summary>The plan: which jobs remain, and (when <paramref name="task"/> is given) an estimate from a measured
    /// training step and test evaluation.</summary>
    public LmcPlan Plan(ILmcTask task, bool estimate)
    {
        var jobs = Jobs();
        var pending = jobs.Where(j => Finished(j) is null).ToList();
        var finished = jobs.Except(pending).ToList();
        var steps = Recipe.Epochs * task.StepsPerEpoch;
        double? seconds = null;
        if (estimate && pending.Count > 0)
        {
            seconds = 0;
            var warm = false;
            foreach (var family in pending.Select(j => j.Family).Distinct())
            {
                var model = ModelFactory.Create(Config(task, family, 0), 0);
                task.Attach(model);
                // The process's first measurement also pays for compiling the training code: measure twice.
                if (!warm) task.Measure(model);
                warm = true;
                var (step, eval) = task.Measure(model);
                var familyJobs = pending.Where(j => j.Family == family).ToList();
                var evaluations = familyJobs.Sum(j => 2 + j.Curves.Count * LmcCurve.Lambdas(Recipe.Points).Length);
                seconds += familyJobs.Count * 2 * steps * step + evaluations * eval;
            }
        }
        // Under the policy runs[:N], N jobs run at once (each measured above with single-threaded BLAS).
        if (seconds is { } total) seconds = total / Math.Min(IndependentRuns.PolicyParallelism, Math.Max(1, pending.Count));
        return new LmcPlan(Recipe, RunDir, task.Description, pending, finished, seconds, steps);
    }

    private ModelConfig Config(ILmcTask task, Variant family, int pair) =>
        ModelPresets.Get(Recipe.Model, family, task.Shape, ArchitectureSeed(Recipe.Seed, pair));

    /// <summary>
    /// Runs every pending job, then (re)writes the tables and the figure from all finished jobs. Under the threading
    /// policy runs[:N] (<see cref="IndependentRuns"/>), N jobs run side by side with single-threaded BLAS; a job's
    /// result depends only on its seeds, so it is the same either way. <paramref name="parallel"/> overrides the
    /// policy's number. Events are delivered one at a time.
    /// </summary>
    public LmcRunResult Run(ILmcTask task, Action<LmcEvent>? onEvent = null, CancellationToken cancel = default, string commandLine = "asym lmc",
        int? parallel = null)
    {
        var wall = Stopwatch.StartNew();
        var run = PrepareFolder(commandLine);
        var jobs = Jobs();
        var results = new List<LmcPairResult>();
        var gate = new Lock();
        Action<LmcEvent>? report = onEvent is null ? null : e => { lock (gate) onEvent(e); };
        var pending = new List<int>();
        for (var i = 0; i < jobs.Count; i++)
        {
            if (Finished(jobs[i]) is { } done) results.Add(done);
            else pending.Add(i);
        }
        var skipped = results.Count;
        var ran = 0;
        var sideBySide = parallel ?? IndependentRuns.PolicyParallelism;
        try
        {
            // One at a time, BLAS keeps the policy's threads; side by side, IndependentRuns makes it single-threaded.
            Action<int, Action<int>> schedule = sideBySide > 1
                ? (n, job) => IndependentRuns.Run(n, sideBySide, job)
                : (n, job) => { for (var p = 0; p < n; p++) job(p); };
            schedule(pending.Count, p =>
            {
                cancel.ThrowIfCancellationRequested();
                var job = jobs[pending[p]];
                report?.Invoke(new LmcJobStarted(job, pending[p], jobs.Count));
                var result = RunJob(task, job, report, cancel);
                result.Write(PairsPath);
                lock (gate)
                {
                    results.Add(result);
                    ran++;
                    LmcReport.Write(RunDir, Recipe, results);
                }
                report?.Invoke(new LmcJobFinished(job, result));
            });
        }
        catch (Exception e)
        {
            if (results.Count > 0) LmcReport.Write(RunDir, Recipe, results);
            run.Complete(e is OperationCanceledException ? "cancelled" : "failed",
                new JsonObject { ["error"] = e.Message, ["jobs_run"] = ran, ["jobs_skipped"] = skipped });
            throw;
        }
        var timing = string.Create(CultureInfo.InvariantCulture,
            $"Last run: {ran} job(s) run, {skipped} already finished, wall time {wall.Elapsed.TotalSeconds:0.0} s.");
        var summaries = LmcReport.Write(RunDir, Recipe, results, timing);
        run.Complete(results.Any(r => r.Diverged) ? "completed-with-divergence" : "completed", new JsonObject
        {
            ["jobs_run"] = ran,
            ["jobs_skipped"] = skipped,
            ["barriers"] = JsonSerializer.SerializeToNode(summaries, LmcJson.Options),
        });
        return new LmcRunResult(Recipe, RunDir, summaries, results, skipped, ran, wall.Elapsed);
    }

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
            task.Attach(model);
            var network = k;
            var outcome = task.Train(model, trainFamily, dataSeed, p => onEvent?.Invoke(new LmcNetworkEpoch(job, network, p)), cancel);
            var (loss, accuracy) = outcome.Diverged ? (double.NaN, double.NaN) : task.Evaluate(model);
            var result = new LmcNetworkResult
            {
                InitSeed = initSeed, DataSeed = dataSeed, Diverged = outcome.Diverged, DivergenceReason = outcome.Reason,
                FinalTrainLoss = outcome.FinalTrainLoss, TestLoss = loss, TestAccuracy = accuracy, Seconds = netClock.Elapsed.TotalSeconds,
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
            task.Attach(work);
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
                curves.Add(LmcCurveResult.From(variant, curve, alignment));
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
            ["epochs"] = Recipe.Epochs.ToString(ci),
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
        task.Attach(copy);
        return copy;
    }
}
