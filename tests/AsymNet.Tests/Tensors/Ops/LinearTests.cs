using AsymNet.Tensors;
using AsymNet.Tests.Support;
using O = AsymNet.Tensors.Ops.Ops;

namespace AsymNet.Tests.Tensors;

public class LinearTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ForwardIsXWTransposedPlusBias(bool withBias)
    {
        var rng = new Rng(5);
        var x = GradCheck.Random(rng, -1, 1, 2, 3, 4);
        var w = GradCheck.Random(rng, -1, 1, 5, 4);
        var b = withBias ? GradCheck.Random(rng, -1, 1, 5) : null;
        var y = O.Linear(x, w, b);
        Assert.Equal([2, 3, 5], y.Shape);
        for (var r = 0; r < 6; r++)
        for (var o = 0; o < 5; o++)
        {
            double s = b?.Span[o] ?? 0;
            for (var i = 0; i < 4; i++) s += (double)x.Span[r * 4 + i] * w.Span[o * 4 + i];
            Assert.Equal(s, y.Span[r * 5 + o], 1e-5);
        }
    }

    [Fact]
    public void GradientsCheckWithAndWithoutBias()
    {
        var rng = new Rng(6);
        var x = GradCheck.Random(rng, -1, 1, 3, 7);
        var w = GradCheck.Random(rng, -1, 1, 9, 7);
        var b = GradCheck.Random(rng, -1, 1, 9);
        GradCheck.Check(t => O.Linear(t[0], t[1], t[2]), [x, w, b]);
        GradCheck.Check(t => O.Linear(t[0], t[1], null), [x, w]);
    }

    [Fact]
    public void LeafGradientsAccumulateAcrossBackwardCalls()
    {
        var rng = new Rng(8);
        var x = GradCheck.Random(rng, -1, 1, 4, 3);
        var w = GradCheck.Random(rng, -1, 1, 2, 3);
        var b = GradCheck.Random(rng, -1, 1, 2);
        var once = LeafGradients.AccumulateAcrossBackwardCalls(() => O.Sum(O.Linear(x, w, b)), w, b);
        Assert.Equal(4f, once[1][0], 1e-5);
    }

    [Fact]
    public void GradientHooksSeeTheWeightGradient()
    {
        var rng = new Rng(9);
        var x = GradCheck.Random(rng, -1, 1, 4, 3);
        LeafGradients.HookSeesTheGradient(w => O.Linear(x, w, null), GradCheck.Random(rng, -1, 1, 2, 3));
    }
}
