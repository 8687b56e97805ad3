using AsymNet.Tensors;
using O = AsymNet.Tensors.Ops.Ops;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Tensors;

public class MatMulTests
{
    /// <summary>float64 reference of op(a)·op(b) for one matrix.</summary>
    private static double[] Reference(float[] a, float[] b, int m, int n, int k, bool transA, bool transB)
    {
        var y = new double[m * n];
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            double s = 0;
            for (var p = 0; p < k; p++)
                s += (double)a[transA ? p * m + i : i * k + p] * b[transB ? j * k + p : p * n + j];
            y[i * n + j] = s;
        }
        return y;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void ForwardMatchesReferenceAndGradientsCheck(bool transA, bool transB)
    {
        var rng = new Rng(3);
        const int m = 5, n = 7, k = 3;
        var a = GradCheck.Random(rng, -1, 1, transA ? [k, m] : [m, k]);
        var b = GradCheck.Random(rng, -1, 1, transB ? [n, k] : [k, n]);
        var y = O.MatMul(a, b, transA, transB);
        Assert.Equal([m, n], y.Shape);
        var want = Reference(a.ToArray(), b.ToArray(), m, n, k, transA, transB);
        for (var i = 0; i < want.Length; i++) Assert.Equal(want[i], y.Span[i], 1e-5);
        GradCheck.Check(t => O.MatMul(t[0], t[1], transA, transB), [a, b]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BatchedAndSharedRightOperandGradientsCheck(bool sharedB)
    {
        var rng = new Rng(4);
        var a = GradCheck.Random(rng, -1, 1, 3, 4, 2);
        var b = sharedB ? GradCheck.Random(rng, -1, 1, 2, 5) : GradCheck.Random(rng, -1, 1, 3, 2, 5);
        var y = O.MatMul(a, b);
        Assert.Equal([3, 4, 5], y.Shape);
        var bArr = b.ToArray();
        for (var i = 0; i < 3; i++)
        {
            var bi = sharedB ? bArr : bArr[(i * 10)..((i + 1) * 10)];
            var want = Reference(a.ToArray()[(i * 8)..((i + 1) * 8)], bi, 4, 5, 2, false, false);
            for (var j = 0; j < 20; j++) Assert.Equal(want[j], y.Span[i * 20 + j], 1e-5);
        }
        GradCheck.Check(t => O.MatMul(t[0], t[1]), [a, b]);
    }

    [Fact]
    public void MismatchedInnerSizesNameBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => O.MatMul(Tensor.Zeros(2, 3), Tensor.Zeros(4, 5)));
        Assert.Contains("[2, 3]", e.Message);
    }
}
