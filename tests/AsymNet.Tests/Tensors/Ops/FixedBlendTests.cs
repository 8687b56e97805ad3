using AsymNet.Tensors;
using AsymNet.Tests.Support;
using O = AsymNet.Tensors.Ops.Ops;

namespace AsymNet.Tests.Tensors;

/// <summary>The fused W-Asymmetric effective weight M⊙W + (1−M)⊙κF against its unfused composition.</summary>
public class FixedBlendTests
{
    private static (Tensor W, Tensor M, Tensor F) Inputs(Rng rng, int n, bool binaryMask)
    {
        var w = GradCheck.Random(rng, -2, 2, n);
        var m = GradCheck.Random(rng, 0, 1, n);
        if (binaryMask) for (var i = 0; i < n; i++) m.Span[i] = m.Span[i] < 0.3f ? 0f : 1f;
        var f = GradCheck.Random(rng, -3, 3, n);
        return (w, m, f);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ValuesAndGradientsAreBitForBitThoseOfTheComposition(bool binaryMask)
    {
        var rng = new Rng(5);
        const float kappa = 0.37f;
        for (var n = 0; n <= 65; n++)
        {
            var (w, m, f) = Inputs(rng, n, binaryMask);
            w.RequiresGrad = true;
            var fixedPart = O.MulScalar(O.Sub(f, O.Mul(m, f)), kappa);
            var reference = O.Add(O.Mul(w, m), fixedPart);
            var fused = O.FixedBlend(w, m, f, kappa);
            Assert.Equal(reference.ToArray(), fused.ToArray());
            if (n == 0) continue;
            var r = GradCheck.Random(rng, -1, 1, n);
            O.Sum(O.Mul(reference, r)).Backward();
            var want = w.Grad!.ToArray();
            w.Grad = null;
            O.Sum(O.Mul(fused, r)).Backward();
            Assert.Equal(want, w.Grad!.ToArray());
        }
    }

    [Fact]
    public void GradientChecks()
    {
        var (w, m, f) = Inputs(new Rng(6), 23, binaryMask: true);
        GradCheck.Check(t => O.FixedBlend(t[0], m, f, 1.5f), [w]);
    }

    [Fact]
    public void ShapesMustAgree() =>
        Assert.Throws<ArgumentException>(() => O.FixedBlend(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2), Tensor.Zeros(2, 3), 1f));
}
