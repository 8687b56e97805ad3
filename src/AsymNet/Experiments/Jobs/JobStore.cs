using System.Text.Json;
using AsymNet.Data;

namespace AsymNet.Experiments.Jobs;

/// <summary>
/// The job files of a run folder: <c>JobsDir/&lt;id&gt;.json</c> for a finished job (written atomically, so a killed
/// job leaves nothing or a whole file) and <c>JobsDir/&lt;id&gt;.error.txt</c> for a job that failed (removed when a
/// rerun finishes it). The presence of a result that still covers the job is what makes a rerun skip it.
/// </summary>
public static class JobStore
{
    public static string ResultPath<TJob, TResult>(JobExperiment<TJob, TResult> e, TJob job)
        where TJob : notnull where TResult : class => Path.Combine(e.RunDir, e.JobsDir, e.JobId(job) + ".json");

    public static string ErrorPath<TJob, TResult>(JobExperiment<TJob, TResult> e, TJob job)
        where TJob : notnull where TResult : class => Path.Combine(e.RunDir, e.JobsDir, e.JobId(job) + ".error.txt");

    /// <summary>The job's stored result when there is one that covers it; a damaged file is an error naming it.</summary>
    public static TResult? TryRead<TJob, TResult>(JobExperiment<TJob, TResult> e, TJob job)
        where TJob : notnull where TResult : class
    {
        var path = ResultPath(e, job);
        if (!File.Exists(path)) return null;
        TResult result;
        try
        {
            result = JsonSerializer.Deserialize<TResult>(File.ReadAllText(path), e.Json) ?? throw new JsonException("the file holds null");
        }
        catch (JsonException x)
        {
            throw new InvalidDataException($"{path} is damaged ({x.Message}); delete it to recompute {e.JobName(job)}.", x);
        }
        return e.Covers(job, result) ? result : null;
    }

    public static void Write<TJob, TResult>(JobExperiment<TJob, TResult> e, TJob job, TResult result)
        where TJob : notnull where TResult : class
    {
        AtomicFile.Write(ResultPath(e, job), s => JsonSerializer.Serialize(s, result, e.Json));
        File.Delete(ErrorPath(e, job));
    }

    public static void WriteError<TJob, TResult>(JobExperiment<TJob, TResult> e, TJob job, Exception error)
        where TJob : notnull where TResult : class =>
        AtomicFile.Write(ErrorPath(e, job), s => s.Write(System.Text.Encoding.UTF8.GetBytes(error.ToString())));
}
