using System.Reflection;
using AsymNet.Tensors;
using AsymNet.Tests.Support;
using Xunit.Abstractions;
using O = AsymNet.Tensors.Ops.Ops;

namespace AsymNet.Tests.Tensors;

/// <summary>
/// The op contract of docs/engine.md, enforced over the one table of samples (<see cref="OpSamples"/>): gradients check
/// on every kernel path with the backward version check on, kernel paths agree beyond float rounding, and inline and
/// parallel runs give the same bits.
/// </summary>
[Collection(KernelPathsCollection.Name)]
public class OpContractTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryPublicOpHasASample()
    {
        var ops = typeof(O).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => m.ReturnType == typeof(Tensor)).Select(m => m.Name).ToHashSet();
        var sampled = OpSamples.All.Select(s => s.Op).ToHashSet();
        Assert.Empty(ops.Except(sampled).Order());
        Assert.Empty(sampled.Except(ops).Order());
    }

    [Theory]
    [MemberData(nameof(OpSamples.Keys), MemberType = typeof(OpSamples))]
    public void GradientsCheckOnEveryKernelPath(string key)
    {
        var sample = OpSamples.Get(key);
        var paths = KernelPathRuns.OnEveryPath(setting => KernelPathRuns.WithVersionCheck(() =>
        {
            GradCheck.Check(sample.F, sample.Draw(large: false), h: sample.H);
            return setting;
        }));
        Report(paths);
    }

    [Theory]
    [MemberData(nameof(OpSamples.Keys), MemberType = typeof(OpSamples))]
    public void KernelPathsAgreeBeyondRounding(string key)
    {
        var sample = OpSamples.Get(key);
        var inputs = sample.Draw(large: true);
        var results = KernelPathRuns.OnEveryPath(setting =>
            (setting, KernelPathRuns.WithVersionCheck(() => GradCheck.ForwardAndGradients(sample.F, inputs))));
        var (widest, want) = results[0];
        foreach (var (setting, got) in results.Skip(1))
            for (var k = 0; k < want.Length; k++)
                KernelPathRuns.AssertClose(want[k], got[k], $"{(k == 0 ? "output" : $"gradient of input {k - 1}")} on {setting} against {widest}");
        Report(results.Select(r => r.setting).ToList());
    }

    [Theory]
    [MemberData(nameof(OpSamples.Keys), MemberType = typeof(OpSamples))]
    public void InlineAndParallelGiveTheSameBitsOnEveryKernelPath(string key)
    {
        var sample = OpSamples.Get(key);
        var inputs = sample.Draw(large: true);
        Report(KernelPathRuns.OnEveryPath(setting =>
        {
            KernelPathRuns.AssertSameBitsInlineAndParallel(() => GradCheck.ForwardAndGradients(sample.F, inputs));
            return setting;
        }));
    }

    private void Report(IReadOnlyList<KernelPathSetting> paths)
    {
        output.WriteLine($"kernel paths run: {string.Join("; ", paths)}");
        if (paths.Count < 4) output.WriteLine($"this machine lacks the wider paths (widest: {KernelPaths.Widest}); they run only where the hardware has them");
    }

    /// <summary>An op that breaks the ownership rule: it hands its incoming gradient to both of its inputs as their own.</summary>
    private static Tensor SharesItsGradient(Tensor a, Tensor b)
    {
        var y = O.Add(a, b).Detach();
        Autograd.Record(y, [a, b], g =>
        {
            Autograd.AccumulateOwned(a, g);
            Autograd.AccumulateOwned(b, g);
        });
        return y;
    }

    [Fact]
    public void VersionCheckCatchesAGradientThatAnotherBackwardOverwrote()
    {
        var rng = new Rng(3);
        var (x, z) = (GradCheck.Random(rng, -1, 1, 4), GradCheck.Random(rng, -1, 1, 4));
        x.RequiresGrad = z.RequiresGrad = true;
        // Relu's backward overwrites its gradient in place; the other owner, Neg, then reads the masked values.
        Tensor Build() => O.Sum(SharesItsGradient(O.Relu(x), O.Neg(z)));
        var error = Assert.Throws<InvalidOperationException>(() => KernelPathRuns.WithVersionCheck(() =>
        {
            Build().Backward();
            return 0;
        }));
        Assert.Contains("another backward overwrote", error.Message);
        Build().Backward(); // without the check the same graph runs (and silently computes a wrong gradient)
        KernelPathRuns.WithVersionCheck(() =>
        {
            O.Sum(O.Mul(O.Relu(x), O.Neg(x))).Backward(); // a tensor read by two ops is fine
            return 0;
        });
    }
}
