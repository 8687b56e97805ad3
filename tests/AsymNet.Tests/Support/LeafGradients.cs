using AsymNet.Tensors;
using O = AsymNet.Tensors.Ops.Ops;

namespace AsymNet.Tests.Support;

/// <summary>Contracts every op that writes straight into leaf gradient buffers (beta = 1 GEMMs) must keep.</summary>
public static class LeafGradients
{
    /// <summary>
    /// Runs backward of <paramref name="loss"/> twice without zeroing and checks that each leaf's gradient doubled;
    /// returns the gradients after the first call.
    /// </summary>
    public static float[][] AccumulateAcrossBackwardCalls(Func<Tensor> loss, params Tensor[] leaves)
    {
        foreach (var t in leaves) { t.RequiresGrad = true; t.Grad = null; }
        loss().Backward();
        var once = leaves.Select(t => t.Grad!.ToArray()).ToArray();
        loss().Backward();
        for (var l = 0; l < leaves.Length; l++)
        for (var i = 0; i < once[l].Length; i++)
            Assert.Equal(2 * once[l][i], leaves[l].Grad!.Span[i], 1e-4 * Math.Max(1, Math.Abs(once[l][i])));
        return once;
    }

    /// <summary>A hook on <paramref name="weight"/> that zeroes entry 0 sees the gradient before it is stored.</summary>
    public static void HookSeesTheGradient(Func<Tensor, Tensor> forward, Tensor weight)
    {
        weight.RequiresGrad = true;
        weight.Grad = null;
        weight.RegisterHook(g => g.Span[0] = 0f);
        O.Sum(forward(weight)).Backward();
        Assert.Equal(0f, weight.Grad!.Span[0]);
        Assert.NotEqual(0f, weight.Grad.Span[1]);
    }
}
