using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsymNet.Experiments.Runs;

namespace AsymNet.Experiments.Jobs;

/// <summary>
/// The one engine every experiment runs on. It checks and prepares the run folder (recipe.json, manifest), plans
/// (which of this shard's jobs remain), runs the pending jobs one after another or side by side, writes each job's
/// result atomically as soon as it finishes, records a job's exception as that job's error without stopping the
/// others, and rebuilds the experiment's tables from every finished job. A shard (<see cref="Shard"/>) runs only its
/// jobs and leaves the tables to <see cref="Collect"/>. Killing a process loses only the jobs it had in flight.
/// </summary>
public static class JobEngine
{
    public const string RecipeFile = "recipe.json";
    public const string ShardsDir = "shards";

    /// <summary>The jobs of <paramref name="shard"/> split into pending and finished.</summary>
    public static JobPlan<TJob> Plan<TJob, TResult>(JobExperiment<TJob, TResult> e, Shard shard)
        where TJob : notnull where TResult : class
    {
        var jobs = e.Jobs();
        var pending = new List<(int, TJob)>();
        var finished = new List<(int, TJob)>();
        for (var i = 0; i < jobs.Count; i++)
        {
            if (!shard.Owns(i)) continue;
            (JobStore.TryRead(e, jobs[i]) is null ? pending : finished).Add((i, jobs[i]));
        }
        return new JobPlan<TJob>(pending, finished, jobs.Count, shard);
    }

    /// <summary>
    /// Refuses a folder that holds something else (not empty and no recipe.json) or a run of a different recipe (the
    /// differing fields named); otherwise writes recipe.json and this process's manifest with status "running".
    /// </summary>
    public static RunFolder PrepareFolder<TJob, TResult>(JobExperiment<TJob, TResult> e, string commandLine, Shard shard)
        where TJob : notnull where TResult : class
    {
        CheckFolder(e);
        var manifest = shard.IsAll ? RunFolder.ManifestFile : ShardManifest(shard);
        var run = RunFolder.Create(e.RunDir, e.Name, commandLine, e.ManifestConfig, e.Seeds, overwrite: true, manifestFile: manifest);
        Directory.CreateDirectory(Path.Combine(e.RunDir, e.JobsDir));
        if (!File.Exists(Path.Combine(e.RunDir, RecipeFile))) run.WriteText(RecipeFile, e.RecipeJson + "\n");
        return run;
    }

    public static string ShardManifest(Shard shard) =>
        Path.Combine(ShardsDir, string.Create(CultureInfo.InvariantCulture, $"manifest-{shard.Index}-of-{shard.Count}.json"));

    /// <summary>Throws when the run folder cannot hold this experiment's run (see <see cref="PrepareFolder"/>); writes nothing.</summary>
    public static void CheckFolder<TJob, TResult>(JobExperiment<TJob, TResult> e) where TJob : notnull where TResult : class
    {
        var path = Path.Combine(e.RunDir, RecipeFile);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path);
            var difference = RecipeDifference(existing, e.RecipeJson, path);
            if (difference.Length > 0)
                throw new InvalidOperationException(
                    $"{e.RunDir} holds a {e.Name} run with a different recipe ({difference}). Use another --out, or the same options as that run.");
        }
        else if (File.Exists(e.RunDir))
        {
            throw new IOException($"--out {e.RunDir} is a file, not a folder; choose a folder.");
        }
        else if (Directory.Exists(e.RunDir) && Directory.EnumerateFileSystemEntries(e.RunDir).Any())
        {
            throw new InvalidOperationException($"{e.RunDir} is not empty and holds no {e.Name} run ({RecipeFile} is missing); choose another --out.");
        }
    }

    /// <summary>The top-level fields in which two recipes differ, as "field: A there, B now"; empty when equal.</summary>
    public static string RecipeDifference(string there, string now, string therePath)
    {
        JsonObject a;
        try
        {
            a = JsonNode.Parse(there) as JsonObject ?? throw new JsonException("not a JSON object");
            if (a.Count == 0) throw new JsonException("an empty object");
        }
        catch (JsonException x)
        {
            throw new InvalidDataException($"{therePath} is damaged ({x.Message}); it records the recipe of the run in that folder. " +
                                           "Restore it, or delete the folder (or choose another --out) to start afresh.", x);
        }
        var b = JsonNode.Parse(now)!.AsObject();
        var names = a.Select(p => p.Key).Union(b.Select(p => p.Key));
        var diffs = names
            .Where(n => !JsonNode.DeepEquals(a[n], b[n]))
            .Select(n => $"{n}: {a[n]?.ToJsonString() ?? "nothing"} there, {b[n]?.ToJsonString() ?? "nothing"} now");
        return string.Join("; ", diffs);
    }

    /// <summary>Runs this shard's pending jobs (see the class summary); the result lists every finished job in the folder.</summary>
    public static JobRunResult<TResult> Run<TJob, TResult>(JobExperiment<TJob, TResult> e, JobRunOptions options)
        where TJob : notnull where TResult : class
    {
        var wall = Stopwatch.StartNew();
        var run = PrepareFolder(e, options.CommandLine, options.Shard);
        var plan = Plan(e, options.Shard);
        var gate = new Lock();
        Action<JobEvent>? report = options.OnEvent is null ? null : ev => { lock (gate) options.OnEvent(ev); };
        var ran = 0;
        var failed = new List<(string, string)>();
        var sideBySide = options.Parallel ?? IndependentRuns.PolicyParallelism;
        try
        {
            // One at a time, BLAS keeps the policy's threads; side by side, IndependentRuns makes it single-threaded.
            Action<int, Action<int>> schedule = sideBySide > 1
                ? (n, job) => IndependentRuns.Run(n, sideBySide, job)
                : (n, job) => { for (var p = 0; p < n; p++) job(p); };
            schedule(plan.Pending.Count, p =>
            {
                options.Cancel.ThrowIfCancellationRequested();
                var (index, job) = plan.Pending[p];
                var name = e.JobName(job);
                report?.Invoke(new JobStarted(index, name, p, plan.Pending.Count));
                var clock = Stopwatch.StartNew();
                TResult result;
                try
                {
                    result = e.RunJob(job, new JobContext(index, name, options.Cancel, report));
                }
                catch (Exception x) when (x is not OperationCanceledException)
                {
                    JobStore.WriteError(e, job, x);
                    lock (gate) failed.Add((name, x.Message));
                    report?.Invoke(new JobFailed(index, name, x.Message));
                    return;
                }
                JobStore.Write(e, job, result);
                lock (gate)
                {
                    ran++;
                    // The tables follow the run, so a long run's partial results can be read while it goes on.
                    if (options.Shard.IsAll) e.WriteTables(ReadFinished(e).Finished, null);
                }
                report?.Invoke(new JobFinished(index, name, result, e.Diverged(result), e.Describe(result), clock.Elapsed.TotalSeconds));
            });
        }
        catch (Exception x)
        {
            run.Complete(x is OperationCanceledException ? "cancelled" : "failed",
                new JsonObject { ["error"] = x.Message, ["jobs_run"] = ran, ["jobs_skipped"] = plan.Finished.Count });
            throw;
        }
        var timing = string.Create(CultureInfo.InvariantCulture,
            $"Last run: {ran} job(s) run, {plan.Finished.Count} already finished, {failed.Count} failed, wall time {wall.Elapsed.TotalSeconds:0.0} s.");
        var (finished, missing) = ReadFinished(e);
        JsonNode? headline = options.Shard.IsAll ? e.WriteTables(finished, timing) : null;
        var status = failed.Count > 0 ? "completed-with-errors"
            : !options.Shard.IsAll ? "completed-shard"
            : finished.Any(e.Diverged) ? "completed-with-divergence" : "completed";
        run.Complete(status, new JsonObject
        {
            ["jobs_run"] = ran,
            ["jobs_skipped"] = plan.Finished.Count,
            ["jobs_failed"] = failed.Count,
            ["shard"] = options.Shard.ToString(),
            ["results"] = headline,
        });
        return new JobRunResult<TResult>(e.RunDir, finished, ran, plan.Finished.Count, missing, failed, wall.Elapsed);
    }

    /// <summary>
    /// Rebuilds the tables and figures from every finished job in the folder (after all shards are done) and writes
    /// manifest.json with status "completed" or "incomplete"; the result names the jobs still missing and the error of
    /// each that failed.
    /// </summary>
    public static JobRunResult<TResult> Collect<TJob, TResult>(JobExperiment<TJob, TResult> e, string commandLine)
        where TJob : notnull where TResult : class
    {
        var wall = Stopwatch.StartNew();
        var run = PrepareFolder(e, commandLine, Shard.All);
        var (finished, missing) = ReadFinished(e);
        var failed = e.Jobs().Where(j => File.Exists(JobStore.ErrorPath(e, j)) && JobStore.TryRead(e, j) is null)
            .Select(j => (e.JobName(j), FirstLine(File.ReadAllText(JobStore.ErrorPath(e, j))))).ToList();
        var headline = e.WriteTables(finished, null);
        run.Complete(missing.Count > 0 ? "incomplete" : finished.Any(e.Diverged) ? "completed-with-divergence" : "completed", new JsonObject
        {
            ["jobs_finished"] = finished.Count,
            ["jobs_missing"] = new JsonArray([.. missing.Select(m => JsonValue.Create(m))]),
            ["results"] = headline,
        });
        return new JobRunResult<TResult>(e.RunDir, finished, 0, finished.Count, missing, failed, wall.Elapsed);
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    /// <summary>Every finished result in job order, and the names of the jobs without one.</summary>
    private static (IReadOnlyList<TResult> Finished, IReadOnlyList<string> Missing) ReadFinished<TJob, TResult>(JobExperiment<TJob, TResult> e)
        where TJob : notnull where TResult : class
    {
        var finished = new List<TResult>();
        var missing = new List<string>();
        foreach (var job in e.Jobs())
        {
            if (JobStore.TryRead(e, job) is { } r) finished.Add(r);
            else missing.Add(e.JobName(job));
        }
        return (finished, missing);
    }
}
