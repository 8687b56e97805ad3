using AsymNet.Tensors;
using AsymNet.Tests.Support;
using O = AsymNet.Tensors.Ops.Ops;

namespace AsymNet.Tests.Tensors;

/// <summary>Sum, mean and max: whole-tensor and along each axis, against float64 references, with gradient checks.</summary>
public class ReductionTests
{
    [Fact]
    public void TotalsMatchFloat64OverEveryTailLength()
    {
        var rng = new Rng(41);
        for (var n = 0; n <= 65; n++)
        {
            var x = GradCheck.Random(rng, -2, 2, n);
            var sum = x.ToArray().Sum(v => (double)v);
            Assert.Equal([], O.Sum(x).Shape);
            Assert.Equal(sum, O.Sum(x).Item(), 1e-5);
            if (n > 0) Assert.Equal(sum / n, O.Mean(x).Item(), 1e-6);
        }
    }

    [Fact]
    public void MeanOfNothingIsNaNLikePyTorch()
    {
        Assert.True(float.IsNaN(O.Mean(Tensor.Persistent(0)).Item()));
        Assert.All(O.Mean(Tensor.Persistent(2, 0), 1).ToArray(), v => Assert.True(float.IsNaN(v)));
        Assert.All(O.Mean(Tensor.Persistent(2, 0, 3), 1).ToArray(), v => Assert.True(float.IsNaN(v)));
        Assert.Equal(new float[6], O.Sum(Tensor.Persistent(2, 0, 3), 1).ToArray());
    }

    /// <summary>float64 reduction of x along dim (sum, mean or max), in row-major order of the reduced shape.</summary>
    private static double[] Reduce(Tensor x, int dim, string kind)
    {
        var shape = x.Shape;
        int outer = shape[..dim].Aggregate(1, (p, d) => p * d), size = shape[dim], inner = shape[(dim + 1)..].Aggregate(1, (p, d) => p * d);
        var r = new double[outer * inner];
        for (var o = 0; o < outer; o++)
        for (var i = 0; i < inner; i++)
        {
            var values = Enumerable.Range(0, size).Select(d => (double)x.Span[(o * size + d) * inner + i]).ToArray();
            r[o * inner + i] = kind switch { "sum" => values.Sum(), "mean" => values.Average(), _ => values.Max() };
        }
        return r;
    }

    public static TheoryData<string, int, bool> AxisCases()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (var kind in new[] { "sum", "mean", "max" })
            foreach (var dim in new[] { 0, 1, 2, -1 })
                foreach (var keep in new[] { false, true })
                    data.Add(kind, dim, keep);
        return data;
    }

    [Theory]
    [MemberData(nameof(AxisCases))]
    public void AlongAnAxisMatchesReferenceAndGradientsCheck(string kind, int dim, bool keepDim)
    {
        var rng = new Rng(42);
        // Distinct values spaced more than twice the finite-difference step apart: max has no near-ties.
        var x = Tensor.Persistent(3, 5, 17);
        var values = rng.Permutation(x.Length);
        for (var i = 0; i < x.Length; i++) x.Span[i] = (values[i] - x.Length / 2) * 0.05f;
        Func<Tensor, Tensor> op = kind switch
        {
            "sum" => t => O.Sum(t, dim, keepDim),
            "mean" => t => O.Mean(t, dim, keepDim),
            _ => t => O.Max(t, dim, keepDim),
        };
        var y = op(x);
        var d = dim < 0 ? dim + 3 : dim;
        var expectedShape = keepDim ? x.Shape.Select((s, i) => i == d ? 1 : s).ToArray() : x.Shape.Where((_, i) => i != d).ToArray();
        Assert.Equal(expectedShape, y.Shape);
        var want = Reduce(x, d, kind);
        for (var i = 0; i < want.Length; i++) Assert.Equal(want[i], y.Span[i], 1e-5);
        GradCheck.Check(t => op(t[0]), [x]);
    }

    [Fact]
    public void MaxSendsTheGradientToTheFirstOfTiedMaxima()
    {
        // Ties along a contiguous axis (Inner = 1) and along a strided one (Inner > 1).
        var x = Tensor.FromArray([1f, 3f, 3f, 2f, 5f, 5f, 5f, 0f], 2, 4);
        x.RequiresGrad = true;
        var rows = O.Max(x, 1);
        Assert.Equal([3f, 5f], rows.ToArray());
        O.Sum(rows).Backward();
        Assert.Equal([0f, 1f, 0f, 0f, 1f, 0f, 0f, 0f], x.Grad!.ToArray());

        var y = Tensor.FromArray([2f, 7f, 2f, 7f, 1f, 7f], 3, 2);
        y.RequiresGrad = true;
        var cols = O.Max(y, 0);
        Assert.Equal([2f, 7f], cols.ToArray());
        O.Sum(cols).Backward();
        Assert.Equal([1f, 1f, 0f, 0f, 0f, 0f], y.Grad!.ToArray());
    }

    [Fact]
    public void MaxTreatsNaNAsMaximalOnEveryPath()
    {
        var x = Tensor.FromArray([1f, float.NaN, 3f, 2f], 2, 2);
        Assert.True(float.IsNaN(O.Max(x, 1).Span[0]));
        Assert.Equal(3f, O.Max(x, 1).Span[1]);
        Assert.True(float.IsNaN(O.Max(x, 0).Span[1]));
        Assert.Equal(3f, O.Max(x, 0).Span[0]);
    }

    [Fact]
    public void MaxAlongAnEmptyAxisIsAnError()
    {
        var ex = Assert.Throws<ArgumentException>(() => O.Max(Tensor.Persistent(2, 0), 1));
        Assert.Contains("[2, 0]", ex.Message);
    }

    [Fact]
    public void WholeTensorGradientsCheck()
    {
        var x = GradCheck.Random(new Rng(43), -1, 1, 3, 7);
        GradCheck.Check(t => O.Sum(t[0]), [x]);
        GradCheck.Check(t => O.Mean(t[0]), [x]);
    }
}
