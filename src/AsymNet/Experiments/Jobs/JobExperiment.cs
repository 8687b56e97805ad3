using System.Text.Json;
using System.Text.Json.Nodes;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Jobs;

/// <summary>
/// An experiment as the job engine sees it: a recipe (its identity, written to recipe.json), a list of independent,
/// seed-indexed jobs with stable ids, how to run one job, and how to rebuild the tables and figures from every finished
/// job's result. Everything else (planning, skipping finished jobs, running one after another or side by side, shards,
/// atomic job files, per-job errors, the manifest, Slurm) is <see cref="JobEngine"/>'s, so an experiment folder holds
/// only what is its own. A job's result must depend only on the recipe and the job (its seeds), never on which process,
/// thread or shard ran it: that is what makes results bit-identical however the jobs are spread.
/// </summary>
public abstract class JobExperiment<TJob, TResult>
    where TJob : notnull
    where TResult : class
{
    protected JobExperiment(string runDir) => RunDir = Path.GetFullPath(runDir);

    /// <summary>The experiment's name: the manifest's "experiment" and the key <c>asym collect</c> looks up.</summary>
    public abstract string Name { get; }

    public string RunDir { get; }

    /// <summary>The recipe's identity as JSON (one object): written to recipe.json; a folder whose recipe.json differs
    /// in any field is refused with the fields named. Options that only select jobs (how many) belong outside it.</summary>
    public abstract string RecipeJson { get; }

    /// <summary>The full configuration recorded in the manifest (default: the identity).</summary>
    public virtual JsonNode? ManifestConfig => JsonNode.Parse(RecipeJson);

    /// <summary>Named seeds recorded in the manifest.</summary>
    public abstract IReadOnlyDictionary<string, ulong> Seeds { get; }

    /// <summary>The subfolder holding one result file per finished job.</summary>
    public virtual string JobsDir => "jobs";

    /// <summary>How job results are serialised.</summary>
    public virtual JsonSerializerOptions Json => JsonFormat.Options;

    /// <summary>Every job the recipe asks for, in run order; a job's index in this list is its shard key.</summary>
    public abstract IReadOnlyList<TJob> Jobs();

    /// <summary>A stable, file-name-safe id: the job file is <c>JobsDir/&lt;id&gt;.json</c>.</summary>
    public abstract string JobId(TJob job);

    /// <summary>The job's name for people (progress lines, errors).</summary>
    public virtual string JobName(TJob job) => JobId(job);

    /// <summary>Whether a stored result still covers everything the job asks for now (default: any stored result).</summary>
    public virtual bool Covers(TJob job, TResult result) => true;

    /// <summary>Runs one job. Divergence belongs in the result (see <see cref="Diverged"/>); an exception is recorded as
    /// that job's error and the other jobs go on.</summary>
    public abstract TResult RunJob(TJob job, JobContext context);

    /// <summary>Whether a result is of a diverged job (recorded, excluded from statistics by the tables).</summary>
    public virtual bool Diverged(TResult result) => false;

    /// <summary>A one-line account of a finished job for progress output.</summary>
    public virtual string Describe(TResult result) => Diverged(result) ? "diverged, recorded" : "done";

    /// <summary>Rebuilds every table and figure from all finished results (in job order) and returns the headline
    /// results for the manifest. <paramref name="timing"/> is a line about the last run, when there was one.</summary>
    public abstract JsonNode? WriteTables(IReadOnlyList<TResult> finished, string? timing);
}
