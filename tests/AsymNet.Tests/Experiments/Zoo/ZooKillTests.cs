using AsymNet.Cli;
using AsymNet.Experiments.Zoo;
using AsymNet.NN.Models;
using AsymNet.Tests.Data;
using AsymNet.Tests.Experiments.Jobs;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Experiments.Zoo;

/// <summary>`asym zoo` killed (kill -9 of the process tree) loses only the networks in flight; a rerun finishes the zoo
/// with the same networks, bit for bit, as a run that was never killed.</summary>
[Collection(ConsoleCaptureCollection.Name)]
public sealed class ZooKillTests
{
    [Fact]
    public void KillingAsymZooLosesOnlyTheNetworksInFlight()
    {
        using var tmp = new TempDir();
        string[] args = ["zoo", "--networks", "3", "--variants", "standard,w", "--train-size", "256", "--test-size", "100"];
        Assert.Equal(0, Program.Main([.. args, "--out", tmp["whole"]]));
        var kept = AsymProcess.KillAfterFirstJob([.. args, "--out", tmp["killed"]], Path.Combine(tmp["killed"], "jobs"));
        Assert.InRange(kept.Length, 1, 5);
        Assert.Equal(0, Program.Main([.. args, "--out", tmp["killed"]]));

        // Every column of zoo.csv but the wall time agrees, and every network file is byte for byte the same.
        static string[] Rows(string dir) =>
            [.. File.ReadAllLines(Path.Combine(dir, ZooFolder.ZooCsvFile)).Select(l => l[..l.LastIndexOf(',')])];
        Assert.Equal(7, Rows(tmp["killed"]).Length);
        Assert.Equal(Rows(tmp["whole"]), Rows(tmp["killed"]));
        var (whole, killed) = (new ZooFolder(tmp["whole"]), new ZooFolder(tmp["killed"]));
        foreach (var variant in new[] { Variant.Standard, Variant.W })
        for (var i = 0; i < 3; i++)
            Assert.Equal(File.ReadAllBytes(whole.TrainedPath(variant, i)), File.ReadAllBytes(killed.TrainedPath(variant, i)));
    }
}
