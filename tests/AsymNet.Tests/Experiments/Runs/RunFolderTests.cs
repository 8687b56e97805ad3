using System.Text.Json.Nodes;
using AsymNet.Experiments.Runs;
using AsymNet.Tests.Data;

namespace AsymNet.Tests.Experiments.Runs;

public sealed class RunFolderTests
{
    [Fact]
    public void ManifestIsWrittenAtStartAndCompletedAtTheEnd()
    {
        using var dir = new TempDir();
        var path = dir["run"];
        var run = RunFolder.Create(path, "train", "asym train --x 1", new JsonObject { ["lr"] = 0.1 }, new Dictionary<string, ulong> { ["seed"] = 5 });
        var started = RunFolder.ReadManifest(path);
        Assert.Equal("running", started.Status);
        Assert.Equal("train", started.Experiment);
        Assert.Equal(5UL, started.Seeds["seed"]);
        Assert.Equal(0.1, started.Config!["lr"]!.GetValue<double>());
        Assert.True(started.Environment.VectorBits >= 128);
        Assert.False(string.IsNullOrEmpty(started.Environment.Blas));
        Assert.Contains(".NET", started.Environment.DotNet);
        Assert.Null(started.End);

        run.WriteText("a.csv", "x\n1\n");
        run.Complete("completed", new JsonObject { ["acc"] = 0.5 });
        var done = RunFolder.ReadManifest(path);
        Assert.Equal("completed", done.Status);
        Assert.NotNull(done.End);
        Assert.True(done.WallSeconds >= 0);
        Assert.Equal(0.5, done.Results!["acc"]!.GetValue<double>());
        Assert.Equal("x\n1\n", File.ReadAllText(Path.Combine(path, "a.csv")));
        Assert.DoesNotContain(Directory.GetFiles(path), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void ANonEmptyFolderIsRefusedUnlessOverwriting()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["keep.txt"], "x");
        var e = Assert.Throws<IOException>(() => RunFolder.Create(dir.Path, "t", "", null, new Dictionary<string, ulong>()));
        Assert.Contains("--force", e.Message);
        RunFolder.Create(dir.Path, "t", "", null, new Dictionary<string, ulong>(), overwrite: true);
        Assert.True(File.Exists(dir["manifest.json"]));
    }
}
