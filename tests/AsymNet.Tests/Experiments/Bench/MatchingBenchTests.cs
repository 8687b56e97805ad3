using AsymNet.Experiments.Bench;

namespace AsymNet.Tests.Experiments.Bench;

/// <summary>The matching workloads of `asym bench` run on AsymNet's side and name their PyTorch/SciPy requests.</summary>
public sealed class MatchingBenchTests
{
    private static readonly BenchOptions Quick = new(Reps: 1, MinSeconds: 0, FashionMnistDir: null);

    [Fact]
    public void LapWorkloadSolvesAndRequestsTheSameSize()
    {
        var w = new LapWorkload(64);
        Assert.Equal("lap-64", w.Name);
        var sample = w.RunAsym(Quick);
        Assert.True(sample.Value > 0);
        Assert.Contains("ms/solve", sample.Detail);
        var request = Assert.Single(w.TorchRequests(Quick));
        Assert.Equal("lap", request["op"]!.GetValue<string>());
        Assert.Equal(64, request["n"]!.GetValue<int>());
    }

    [Fact]
    public void RebasinWorkloadMatchesTwoMlp4s()
    {
        var w = new RebasinWorkload();
        Assert.Contains(BenchWorkloads.All(), x => x.Name == w.Name);
        var sample = w.RunAsym(Quick);
        Assert.True(sample.Value > 0);
        Assert.Contains("sweeps", sample.Detail);
        Assert.All(w.TorchRequests(Quick), r => Assert.Equal("rebasin_mlp4", r["op"]!.GetValue<string>()));
    }
}
