using System.Text.Json.Nodes;
using AsymNet.Experiments.Runs;
using AsymNet.Tests.Data;

namespace AsymNet.Tests.Experiments;

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
        Assert.True(started.Environment.SimdFloats >= 1);
        Assert.False(string.IsNullOrEmpty(started.Environment.Gemm));
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

    [Fact]
    public void GitCommitIsReadFromLooseRefsPackedRefsAndWorktrees()
    {
        using var dir = new TempDir();
        const string a = "0123456789abcdef0123456789abcdef01234567", b = "89abcdef0123456789abcdef0123456789abcdef";
        var main = Directory.CreateDirectory(dir["repo/.git/refs/heads"]).Parent!.Parent!.FullName;
        File.WriteAllText(Path.Combine(main, "HEAD"), "ref: refs/heads/main\n");
        File.WriteAllText(Path.Combine(main, "refs/heads/main"), a + "\n");
        File.WriteAllText(Path.Combine(main, "packed-refs"), $"# pack-refs with: peeled\n{b} refs/heads/feature\n");
        Directory.CreateDirectory(dir["repo/src/deep"]);
        Assert.Equal(new GitInfo(a, "main"), GitInfo.Find(dir["repo/src/deep"]));

        // A worktree: .git is a file pointing into the main repository, refs come from its commondir.
        var wt = Directory.CreateDirectory(Path.Combine(main, "worktrees/feature")).FullName;
        File.WriteAllText(Path.Combine(wt, "HEAD"), "ref: refs/heads/feature\n");
        File.WriteAllText(Path.Combine(wt, "commondir"), "../..\n");
        Directory.CreateDirectory(dir["wt"]);
        File.WriteAllText(dir["wt/.git"], $"gitdir: {wt}\n");
        Assert.Equal(new GitInfo(b, "feature"), GitInfo.Find(dir["wt"]));

        // Detached HEAD.
        File.WriteAllText(Path.Combine(wt, "HEAD"), a + "\n");
        Assert.Equal(new GitInfo(a, null), GitInfo.Find(dir["wt"]));
    }
}
