using System.Text.Json.Nodes;
using AsymNet.Data;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Runs;
using AsymNet.NN.Models;
using AsymNet.Symmetry.Interpolation;

namespace AsymNet.Experiments.Lmc.Tuning;

/// <summary>What a tuning run will do: search jobs to run and finished, test jobs (pairs × kinds) to run and finished,
/// and an estimate of the seconds (the test run at the grid's longest epochs while the choice is unknown).</summary>
public sealed record LmcTunePlan(int SearchPending, int SearchFinished, int TestPending, int TestFinished, double? EstimatedSeconds, string Task);

/// <summary>The outcome of a tuning run: the search, and the test run once the search was finished.</summary>
public sealed record LmcTuneResult(JobRunResult<LmcTuneTrialResult> Search, LmcRunResult? Test, LmcRecipe? Final);

/// <summary>
/// <c>asym lmc --tune</c> from start to end: the search (<see cref="LmcTuneExperiment"/>) on the job engine, the choice,
/// then the test run with the chosen values in test/ (an ordinary <see cref="LmcExperiment"/>). Each phase resumes and
/// shards like any job list; a shard whose search is finished but others' are not stops after its search jobs, and the
/// same command run again (or <c>asym collect</c>) goes on from there.
/// </summary>
public static class LmcTuneRun
{
    /// <summary>The test run's recipe when the search is finished; null while it is not; throws when a kind has no usable cell.</summary>
    public static LmcRecipe? Final(LmcTuneExperiment e, JobRunResult<LmcTuneTrialResult> search)
    {
        if (!search.Complete) return null;
        if (LmcTuneSelection.AllDiverged(e.Recipe, search.Finished) is [_, ..] diverged)
            throw new InvalidOperationException($"{e.RunDir}: every cell of the {string.Join(", ", diverged.Select(f => f.ToString().ToLowerInvariant()))} search has a diverged network; choose a grid with lower learning rates (--tune-grid) and another --out.");
        return e.FinalRecipe(search.Finished);
    }

    /// <summary>Runs both phases without progress output (the command line shows its own).</summary>
    public static LmcTuneResult Run(LmcTuneRecipe recipe, string runDir, (ImageDataset Train, ImageDataset Test) data, JobRunOptions options)
    {
        var e = new LmcTuneExperiment(recipe, runDir, data);
        var search = JobEngine.Run(e, options);
        if (Final(e, search) is not { } final) return new LmcTuneResult(search, null, null);
        using var task = new ImageLmcTask(final, data);
        var test = new LmcExperiment(final, e.TestRunDir).Run(task, null, options.Cancel, options.CommandLine, options.Parallel, options.Shard);
        if (options.Shard.IsAll) e.WriteTables(search.Finished, null);
        return new LmcTuneResult(search, test, final);
    }

    /// <summary>
    /// The plan of <paramref name="shard"/>; with <paramref name="estimate"/>, the seconds from one measured training step
    /// and validation evaluation per kind of network (the test evaluation scaled by its size).
    /// </summary>
    public static LmcTunePlan Plan(LmcTuneExperiment e, (ImageDataset Train, ImageDataset Test) data, Shard shard, bool estimate)
    {
        var r = e.Recipe;
        var search = JobEngine.Plan(e, shard);
        var finishedTrials = search.Finished.Select(j => JobStore.TryRead(e, j.Job)).OfType<LmcTuneTrialResult>().ToList();
        // Until the search is finished, the test run is planned at the grid's longest epochs (an upper bound).
        var final = search.Pending.Count == 0 && search.Total == search.Finished.Count ? e.FinalRecipe(finishedTrials) : null;
        var testRecipe = final ?? r.Final([.. r.Families.Select(f => r.Defaults(f) with { Epochs = r.Grid.Epochs.Max() })]);
        var test = JobEngine.Plan(new LmcExperiment(testRecipe, e.TestRunDir), shard);
        using var task = new ImageLmcTask(e.TrialRecipe(r.Defaults(Variant.Standard)), data, validation: true);
        double? seconds = null;
        if (estimate && search.Pending.Count + test.Pending.Count > 0)
        {
            seconds = 0;
            var testScale = (double)(r.Base.TestSize ?? data.Test.Count) / task.Evaluation.Indices.Count;
            var points = LmcCurve.Lambdas(r.Base.Points).Length;
            var warm = false;
            foreach (var family in r.Families)
            {
                var model = ModelFactory.Create(ModelPresets.Get(r.Base.Model, family, task.Shape, 0), 0);
                // The process's first measurement also pays for compiling the training code: measure twice.
                if (!warm) task.Measure(model);
                warm = true;
                var (step, eval) = task.Measure(model);
                foreach (var (_, t) in search.Pending.Where(p => p.Job.Values.Family == family))
                    seconds += 2 * t.Values.Epochs * task.StepsPerEpoch * step + (2 + t.Curves.Count * points) * eval;
                foreach (var (_, j) in test.Pending.Where(p => p.Job.Family == family))
                    seconds += 2 * testRecipe.For(family).Epochs * task.StepsPerEpoch * step + (2 + j.Curves.Count * points) * eval * testScale;
            }
            seconds /= Math.Min(IndependentRuns.PolicyParallelism, Math.Max(1, search.Pending.Count));
        }
        return new LmcTunePlan(search.Pending.Count, search.Finished.Count, test.Pending.Count, test.Finished.Count, seconds, task.Description);
    }

    /// <summary><c>asym collect</c> of a tuning folder: the search's tables, then the test run's when it has begun.</summary>
    public static CollectOutcome CollectFolder(string runDir, JsonNode config, string commandLine)
    {
        var e = new LmcTuneExperiment(LmcTuneRecipe.FromJson(config), runDir);
        var search = JobEngine.Collect(e, commandLine);
        var final = Final(e, search);
        var missing = search.Missing.ToList();
        var failed = search.Failed.ToList();
        var finished = search.Finished.Count;
        var headline = "";
        if (final is not null)
        {
            var testFolder = new LmcExperiment(final, e.TestRunDir);
            if (File.Exists(Path.Combine(e.TestRunDir, JobEngine.RecipeFile)))
            {
                var test = testFolder.Collect(commandLine);
                (finished, headline) = (finished + test.Pairs.Count, string.Join("; ", test.Summaries.Where(s => s.Pairs > 0)
                    .Select(s => $"{s.Variant.Label()} test barrier {LmcReport.Num(s.BarrierMean)} ± {LmcReport.Num(s.BarrierStd)} ({s.Pairs} pairs)")));
                missing.AddRange(test.Missing);
                failed.AddRange(test.Failed);
            }
            else missing.AddRange(testFolder.Jobs().Select(testFolder.JobName));
            e.WriteTables(search.Finished, null);
        }
        return new CollectOutcome(LmcTuneExperiment.ExperimentName, e.RunDir, finished, missing, failed, headline);
    }
}
