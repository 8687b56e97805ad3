using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsymNet.Data;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Runs;

/// <summary>
/// The folder every experiment writes to: manifest.json (written atomically at the start with status "running"
/// and rewritten at the end), and any result files, each written atomically (temporary file, then rename) so a
/// killed run never leaves a half-written file.
/// </summary>
public sealed class RunFolder
{
    public const string ManifestFile = "manifest.json";

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>The JSON format of manifests and result files (camelCase, indented).</summary>
    public static JsonSerializerOptions Json => JsonFormat.Options;

    private readonly string _manifestFile;

    private RunFolder(string path, RunManifest manifest, string manifestFile)
    {
        Path = path;
        Manifest = manifest;
        _manifestFile = manifestFile;
    }

    public string Path { get; }
    public RunManifest Manifest { get; private set; }

    /// <summary>
    /// Creates the folder and writes the initial manifest. A folder that exists and is not empty is refused unless
    /// <paramref name="overwrite"/> is set, so one run never silently mixes its files with another's. A shard of a job
    /// list keeps its own manifest (<paramref name="manifestFile"/>, relative to the folder) so shards never overwrite
    /// each other's.
    /// </summary>
    public static RunFolder Create(string path, string experiment, string commandLine, JsonNode? config,
                                   IReadOnlyDictionary<string, ulong> seeds, bool overwrite = false, string manifestFile = ManifestFile)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !overwrite)
            throw new IOException($"Run folder {full} already exists and is not empty; choose another --out or pass --force.");
        Directory.CreateDirectory(full);
        var manifest = new RunManifest
        {
            Experiment = experiment,
            CommandLine = commandLine,
            Config = config,
            Seeds = seeds,
            Environment = ComputeEnvironment.Capture(),
            Start = DateTimeOffset.Now,
        };
        var run = new RunFolder(full, manifest, manifestFile);
        run.WriteManifest();
        return run;
    }

    /// <summary>A default folder name under ./runs: runs/&lt;name&gt;-&lt;yyyyMMdd-HHmmss&gt;.</summary>
    public static string DefaultPath(string name) =>
        System.IO.Path.Combine("runs", $"{name}-{DateTime.Now:yyyyMMdd-HHmmss}");

    /// <summary>The full path of a file in this folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void WriteText(string name, string text) =>
        AtomicFile.Write(File(name), s => s.Write(new UTF8Encoding(false).GetBytes(text)));

    public void WriteJson<T>(string name, T value) => WriteText(name, JsonSerializer.Serialize(value, Json) + "\n");

    /// <summary>Records the end: status, end time, wall time and headline results.</summary>
    public void Complete(string status, JsonNode? results)
    {
        Manifest = Manifest with
        {
            Status = status,
            End = DateTimeOffset.Now,
            WallSeconds = _clock.Elapsed.TotalSeconds,
            Results = results,
        };
        WriteManifest();
    }

    private void WriteManifest() => WriteJson(_manifestFile, Manifest);

    public static RunManifest ReadManifest(string folder) =>
        JsonSerializer.Deserialize<RunManifest>(System.IO.File.ReadAllText(System.IO.Path.Combine(folder, ManifestFile)), Json)
        ?? throw new InvalidDataException($"{folder}/{ManifestFile} is empty.");
}
