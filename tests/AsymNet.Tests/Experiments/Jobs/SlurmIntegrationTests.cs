using System.Diagnostics;
using AsymNet.Cli;
using AsymNet.Experiments.Lmc;
using AsymNet.Experiments.Runs;
using AsymNet.Tests.Data;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Experiments.Jobs;

/// <summary>
/// `asym lmc --slurm` against a real single-node Slurm (Debian's slurm-wlm, started by the fixture): the array's shards
/// and the dependent collect job give the local run's tables bit for bit, and a task killed with scancel leaves a
/// folder that submitting the same command again completes.
/// </summary>
[Collection(ConsoleCaptureCollection.Name)]
public sealed class SlurmIntegrationTests(SlurmCluster cluster) : IClassFixture<SlurmCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    private (string Array, string Collect) Submit(string[] args, string dir, int tasks)
    {
        var (code, output) = AsymProcess.Run("dotnet", [AsymProcess.Dll, .. args, "--out", dir, "--slurm", "--slurm-tasks", $"{tasks}"], cluster.Environment);
        Assert.True(code == 0, output);
        return SlurmCluster.SubmittedIds(output);
    }

    [Fact]
    public void AnArrayOfShardsAndItsCollectJobEqualALocalRun()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Program.Main([.. LmcShardTests.Tiny, "--out", tmp["local"]]));
        var (array, collect) = Submit(LmcShardTests.Tiny, tmp["slurm"], tasks: 3);
        cluster.WaitUntilGone(Patience, array, collect);
        Assert.True(File.Exists(tmp["slurm/results.csv"]), string.Join("\n", Directory.GetFiles(tmp["slurm/slurm"]).Select(File.ReadAllText)));
        LmcTables.AssertSame(tmp["local"], tmp["slurm"]);
        Assert.Equal("completed", RunFolder.ReadManifest(tmp["slurm"]).Status);
        Assert.Equal(3, Directory.GetFiles(tmp["slurm/shards"], "manifest-*-of-3.json").Length);
    }

    [Fact]
    public void ATaskKilledByScancelLeavesAFolderThatAResubmissionCompletes()
    {
        using var tmp = new TempDir();
        string[] args = ["lmc", "--variants", "standard,w", "--pairs", "3", "--epochs", "3", "--points", "3", "--train-size", "512", "--test-size", "100"];
        Assert.Equal(0, Program.Main([.. args, "--out", tmp["local"]]));

        var (array, collect) = Submit(args, tmp["slurm"], tasks: 2);
        var victim = $"{array}_1";
        var clock = Stopwatch.StartNew();
        while (!cluster.Queue(array).Any(j => j.Id == victim && j.State == "R"))
        {
            Assert.True(clock.Elapsed < Patience, $"task {victim} never ran");
            Thread.Sleep(50);
        }
        Assert.Equal(0, AsymProcess.Run("scancel", [victim], cluster.Environment).Code);
        cluster.WaitUntilGone(Patience, array, collect);
        // The collect job ran after the array (afterany) and found task 1's jobs missing.
        Assert.Equal("incomplete", RunFolder.ReadManifest(tmp["slurm"]).Status);
        var pairs = Path.Combine(tmp["slurm"], LmcExperiment.PairsDir);
        Assert.InRange(Directory.GetFiles(pairs, "*.json").Length, 3, 5);

        var (again, collectAgain) = Submit(args, tmp["slurm"], tasks: 2);
        cluster.WaitUntilGone(Patience, again, collectAgain);
        Assert.Equal(6, Directory.GetFiles(pairs, "*.json").Length);
        Assert.Equal("completed", RunFolder.ReadManifest(tmp["slurm"]).Status);
        LmcTables.AssertSame(tmp["local"], tmp["slurm"]);
    }
}
