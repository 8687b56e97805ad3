using System.Text.Json;
using System.Text.Json.Nodes;
using AsymNet.Experiments.Bnn;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Lmc;
using AsymNet.Experiments.Metanet;
using AsymNet.Experiments.Runs;
using AsymNet.Experiments.Sweep;

namespace AsymNet.Experiments;

/// <summary>
/// Every experiment that runs on <see cref="JobEngine"/>, by the name its manifests record, with how to rebuild its
/// tables from a run folder alone (recipe.json and the job files): what <c>asym collect</c> calls once all shards
/// are done. A new experiment adds one entry.
/// </summary>
public static class ExperimentCatalog
{
    /// <summary>Collectors by experiment name: (run folder, the full config its manifest recorded, command line).</summary>
    private static readonly Dictionary<string, Func<string, JsonNode, string, CollectOutcome>> Collectors = new()
    {
        [LmcExperiment.ExperimentName] = LmcExperiment.CollectFolder,
        [Lmc.Tuning.LmcTuneExperiment.ExperimentName] = Lmc.Tuning.LmcTuneRun.CollectFolder,
        [Zoo.ZooExperiment.ExperimentName] = Zoo.ZooExperiment.CollectFolder,
        [Mli.MliExperiment.ExperimentName] = Mli.MliExperiment.CollectFolder,
        [MetanetExperiment.ExperimentName] = MetanetExperiment.CollectFolder,
        [SweepExperiment.ExperimentName] = SweepExperiment.CollectFolder,
        [BnnExperiment.ExperimentName] = BnnExperiment.CollectFolder,
    };

    public static IEnumerable<string> Names => Collectors.Keys.Order();

    /// <summary>Rebuilds the tables of <paramref name="runDir"/>; its experiment is read from the folder's manifests.</summary>
    public static CollectOutcome Collect(string runDir, string commandLine)
    {
        var dir = Path.GetFullPath(runDir);
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir} does not exist.");
        var (path, manifest) = LatestManifest(dir);
        if (!Collectors.TryGetValue(manifest.Experiment, out var collect))
            throw new InvalidDataException($"{dir} holds a '{manifest.Experiment}' run, which has no job list to collect (known: {string.Join(", ", Names)}).");
        return collect(dir, manifest.Config ?? throw new InvalidDataException($"{path} records no config; the job list cannot be rebuilt."), commandLine);
    }

    /// <summary>
    /// The most recently written of the folder's manifest.json and shards/manifest-*.json: it names the experiment and
    /// holds the full config (including what only selects jobs, such as how many), from which the job list is rebuilt.
    /// </summary>
    public static (string Path, RunManifest Manifest) LatestManifest(string dir)
    {
        var manifests = new[] { Path.Combine(dir, RunFolder.ManifestFile) }
            .Concat(Directory.Exists(Path.Combine(dir, JobEngine.ShardsDir))
                ? Directory.EnumerateFiles(Path.Combine(dir, JobEngine.ShardsDir), "manifest-*.json").Order()
                : [])
            .Where(File.Exists)
            .ToList();
        if (manifests.Count == 0)
            throw new InvalidDataException($"{dir} is not a run folder: it has no {RunFolder.ManifestFile} and no {JobEngine.ShardsDir}/manifest-*.json.");
        var path = manifests.OrderByDescending(File.GetLastWriteTimeUtc).First();
        try
        {
            return (path, JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(path), RunFolder.Json) ?? throw new JsonException("the file holds null"));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is damaged ({e.Message}).", e);
        }
    }
}
