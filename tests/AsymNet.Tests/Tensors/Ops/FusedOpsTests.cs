using AsymNet.Tensors;
using AsymNet.Tests.Support;
using O = AsymNet.Tensors.Ops.Ops;

namespace AsymNet.Tests.Tensors;

/// <summary>
/// The fused ops give bit for bit what the ops they replace give one after the other, in both directions (their
/// gradient checks are OpSamples rows).
/// </summary>
public class FusedOpsTests
{
    private static float[][] ForwardAndGradients(Func<Tensor[], Tensor> f, Tensor[] inputs) => GradCheck.ForwardAndGradients(f, inputs);

    private static void AssertSameBits(float[][] want, float[][] got)
    {
        Assert.Equal(want.Length, got.Length);
        for (var k = 0; k < want.Length; k++) Assert.Equal(want[k], got[k]);
    }

    [Theory]
    [InlineData(1, new[] { 2, 6, 5 })]
    [InlineData(3, new[] { 2, 6, 5 })]
    [InlineData(2, new[] { 3, 4 })]             // no planes: the ReLU runs after the rows, the mask before the backward
    [InlineData(1, new[] { 4, 16, 32, 32 })]    // ResNet-sized planes: rows as parallel chunks when two cores are given
    public void GroupNormReluIsReluOfGroupNorm(int groups, int[] shape)
    {
        var rng = new Rng(21);
        var x = GradCheck.Random(rng, -2, 2, shape);
        var w = GradCheck.Random(rng, 0.5f, 1.5f, shape[1]);
        var b = GradCheck.Random(rng, -0.5f, 0.5f, shape[1]);
        var want = ForwardAndGradients(t => O.Relu(O.GroupNorm(t[0], groups, t[1], t[2])), [x, w, b]);
        AssertSameBits(want, ForwardAndGradients(t => O.GroupNormRelu(t[0], groups, t[1], t[2]), [x, w, b]));
        Assert.Contains(0f, want[0]); // the mask matters
        AssertSameBits(ForwardAndGradients(t => O.Relu(O.GroupNorm(t[0], groups, null, null)), [x]),
            ForwardAndGradients(t => O.GroupNormRelu(t[0], groups, null, null), [x]));
    }

    [Theory]
    [InlineData(1, new[] { 2, 6, 5 })]
    [InlineData(2, new[] { 3, 4 })]             // no planes: addition and ReLU after the rows, the mask before the backward
    [InlineData(1, new[] { 4, 16, 32, 32 })]    // ResNet-sized planes: rows as parallel chunks when two cores are given
    public void GroupNormAddReluIsReluOfGroupNormPlusResidual(int groups, int[] shape)
    {
        var rng = new Rng(24);
        var x = GradCheck.Random(rng, -2, 2, shape);
        var r = GradCheck.Random(rng, -1, 1, shape);
        var w = GradCheck.Random(rng, 0.5f, 1.5f, shape[1]);
        var b = GradCheck.Random(rng, -0.5f, 0.5f, shape[1]);
        var want = ForwardAndGradients(t => O.Relu(O.Add(O.GroupNorm(t[0], groups, t[1], t[2]), t[3])), [x, w, b, r]);
        AssertSameBits(want, ForwardAndGradients(t => O.GroupNormAddRelu(t[0], groups, t[1], t[2], t[3]), [x, w, b, r]));
        Assert.Contains(0f, want[0]);
        // The input as its own residual: both of its gradients add up.
        AssertSameBits(ForwardAndGradients(t => O.Relu(O.Add(O.GroupNorm(t[0], groups, null, null), t[0])), [x]),
            ForwardAndGradients(t => O.GroupNormAddRelu(t[0], groups, null, null, t[0]), [x]));
        Assert.Throws<ArgumentException>(() => O.GroupNormAddRelu(x, groups, w, b, GradCheck.Random(rng, -1, 1, shape[0] + 1, shape[1])));
    }

    [Theory]
    [InlineData(new[] { 3, 5 }, new[] { 3, 5 })]
    [InlineData(new[] { 2, 16, 64, 32 }, new[] { 2, 16, 64, 32 })] // parallel map chunks when two cores are given
    [InlineData(new[] { 3, 5 }, new[] { 5 })]                       // broadcasting: the separate ops
    public void AddReluIsReluOfAdd(int[] aShape, int[] bShape)
    {
        var rng = new Rng(23);
        var a = GradCheck.Random(rng, -1, 1, aShape);
        var b = GradCheck.Random(rng, -1, 1, bShape);
        var want = ForwardAndGradients(t => O.Relu(O.Add(t[0], t[1])), [a, b]);
        AssertSameBits(want, ForwardAndGradients(t => O.AddRelu(t[0], t[1]), [a, b]));
        Assert.Contains(0f, want[0]);
        // The same tensor on both sides: its gradient is the sum of both contributions.
        AssertSameBits(ForwardAndGradients(t => O.Relu(O.Add(t[0], t[0])), [a]), ForwardAndGradients(t => O.AddRelu(t[0], t[0]), [a]));
    }
}
