using AsymNet.Cli;
using AsymNet.Experiments.Lmc;
using AsymNet.Tests.Data;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Experiments.Jobs;

/// <summary>`asym lmc` through the engine: shards and collect equal one run bit for bit; a killed process loses only its
/// job in flight.</summary>
[Collection(ConsoleCaptureCollection.Name)]
public sealed class LmcShardTests
{
    public static readonly string[] Tiny = ["lmc", "--variants", "standard,w", "--pairs", "2", "--epochs", "1", "--points", "3", "--train-size", "128", "--test-size", "100"];

    [Fact]
    public void ShardsOneTwoAndThreeCollectToTheSameTablesAsOneRun()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Program.Main([.. Tiny, "--out", tmp["one"]]));
        foreach (var n in new[] { 1, 2, 3 })
        {
            var dir = tmp[$"shards{n}"];
            for (var i = 0; i < n; i++) Assert.Equal(0, Program.Main([.. Tiny, "--out", dir, "--shard", $"{i}/{n}"]));
            Assert.Equal(4, Directory.GetFiles(Path.Combine(dir, LmcExperiment.PairsDir), "*.json").Length);
            Assert.Equal(0, Program.Main(["collect", dir]));
            LmcTables.AssertSame(tmp["one"], dir);
        }
    }

    [Fact]
    public void CollectOfAnUnfinishedFolderNamesWhatIsMissingAndFails()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Program.Main([.. Tiny, "--out", tmp.Path, "--shard", "1/2"]));
        Assert.Equal(1, Program.Main(["collect", tmp.Path]));
        Assert.Equal(1, Program.Main(["collect", tmp["nothing"]]));
        Assert.Equal(2, Program.Main([.. Tiny, "--out", tmp.Path, "--shard", "2/2"]));
        Assert.Equal(2, Program.Main([.. Tiny, "--out", tmp.Path, "--slurm", "--shard", "0/2"]));
        Assert.Equal(2, Program.Main([.. Tiny, "--out", tmp.Path, "--dry-run"]));
    }

    [Fact]
    public void SlurmDryRunWritesAnArrayScriptThatRunsEachShard()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Program.Main([.. Tiny, "--out", tmp.Path, "--slurm", "--dry-run", "--slurm-tasks", "3", "--slurm-args", "--partition=gpu --time=1:00:00"]));
        var script = File.ReadAllText(tmp["slurm/array.sbatch"]);
        Assert.Contains("--shard \"${SLURM_ARRAY_TASK_ID}/3\"", script);
        Assert.Contains($"--out {tmp.Path}", script);
        var exec = script.Split('\n').Single(l => l.StartsWith("exec ", StringComparison.Ordinal));
        Assert.DoesNotContain("--slurm", exec);
        Assert.DoesNotContain("--dry-run", exec);
        Assert.Contains($"collect {tmp.Path}", File.ReadAllText(tmp["slurm/collect.sbatch"]));
        Assert.True(File.Exists(tmp[LmcExperiment.RecipeFile]));
        Assert.Empty(Directory.GetFiles(tmp[LmcExperiment.PairsDir]));
    }

    [Fact]
    public void KillingTheProcessLosesOnlyTheJobInFlight()
    {
        using var tmp = new TempDir();
        string[] args = ["lmc", "--variants", "standard,w", "--pairs", "3", "--epochs", "3", "--points", "3", "--train-size", "512", "--test-size", "100"];
        Assert.Equal(0, Program.Main([.. args, "--out", tmp["whole"]]));
        var pairs = Path.Combine(tmp["killed"], LmcExperiment.PairsDir);
        var kept = AsymProcess.KillAfterFirstJob([.. args, "--out", tmp["killed"]], pairs);
        Assert.InRange(kept.Length, 1, 5);
        Assert.Equal(0, Program.Main([.. args, "--out", tmp["killed"]]));
        Assert.Equal(6, Directory.GetFiles(pairs, "*.json").Length);
        LmcTables.AssertSame(tmp["whole"], tmp["killed"]);
    }
}
