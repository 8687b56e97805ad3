using AsymNet.Tensors;
using AsymNet.Tests.Support;
using O = AsymNet.Tensors.Ops.Ops;

namespace AsymNet.Tests.Tensors;

/// <summary>Ops that move elements: reshape, transpose, permute, narrow, concat, stack, index-select, gather, dropout.</summary>
public class ShapeTests
{
    /// <summary>x[index] of a row-major tensor.</summary>
    private static float At(Tensor x, params int[] index)
    {
        var strides = ShapeUtil.Strides(x.Shape);
        var flat = 0;
        for (var d = 0; d < index.Length; d++) flat += index[d] * strides[d];
        return x.Span[flat];
    }

    /// <summary>Every multi-index of a shape, row-major.</summary>
    private static IEnumerable<int[]> Indices(int[] shape)
    {
        var n = ShapeUtil.Numel(shape);
        var strides = ShapeUtil.Strides(shape);
        for (var i = 0; i < n; i++) yield return shape.Select((s, d) => i / strides[d] % s).ToArray();
    }

    [Fact]
    public void ReshapeInfersOneDimensionAndRejectsMismatches()
    {
        var x = GradCheck.Random(new Rng(61), -1, 1, 2, 3, 4);
        Assert.Equal([4, 6], O.Reshape(x, 4, -1).Shape);
        Assert.Equal([2, 12], O.Reshape(x, -1, 12).Shape);
        Assert.Throws<ArgumentException>(() => O.Reshape(x, 5, -1));
        Assert.Throws<ArgumentException>(() => O.Reshape(x, 5, 5));
        GradCheck.Check(t => O.Reshape(t[0], 3, 8), [x]);
    }

    [Theory]
    [InlineData(new[] { 1, 0, 2 })]
    [InlineData(new[] { 2, 0, 1 })]
    [InlineData(new[] { 0, 2, 1 })]
    [InlineData(new[] { 2, 1, 0 })]
    [InlineData(new[] { 0, 1, 2 })]
    [InlineData(new[] { -1, 0, 1 })]
    public void PermuteMovesEveryElementAndGradientsCheck(int[] dims)
    {
        var x = GradCheck.Random(new Rng(62), -1, 1, 2, 3, 5);
        var y = O.Permute(x, dims);
        var perm = dims.Select(d => d < 0 ? d + 3 : d).ToArray();
        Assert.Equal(perm.Select(d => x.Shape[d]).ToArray(), y.Shape);
        foreach (var yi in Indices(y.Shape))
        {
            var xi = new int[3];
            for (var k = 0; k < 3; k++) xi[perm[k]] = yi[k];
            Assert.Equal(At(x, xi), At(y, yi));
        }
        GradCheck.Check(t => O.Permute(t[0], dims), [x]);
    }

    [Fact]
    public void PermuteRejectsRepeatedDimensions() =>
        Assert.Throws<ArgumentException>(() => O.Permute(Tensor.Persistent(2, 3), 1, 1));

    [Fact]
    public void TransposeSwapsTwoDimensions()
    {
        var x = GradCheck.Random(new Rng(63), -1, 1, 3, 2, 17);
        var y = O.Transpose(x, 0, -1);
        Assert.Equal([17, 2, 3], y.Shape);
        foreach (var i in Indices(x.Shape)) Assert.Equal(At(x, i), At(y, i[2], i[1], i[0]));
        GradCheck.Check(t => O.Transpose(t[0], 1, 2), [x]);
    }

    [Fact]
    public void NarrowIsAViewOfRowsAndGradientsCheck()
    {
        var x = GradCheck.Random(new Rng(64), -1, 1, 5, 3);
        var y = O.Narrow(x, 1, 3);
        Assert.True(y.IsView);
        Assert.Equal(x.ToArray()[3..12], y.ToArray());
        Assert.Equal([0, 3], O.Narrow(x, 5, 0).Shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => O.Narrow(x, 4, 2));
        GradCheck.Check(t => O.Narrow(t[0], 1, 3), [x]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void ConcatJoinsAlongAnAxisAndGradientsCheck(int dim)
    {
        var rng = new Rng(65);
        var d = dim < 0 ? dim + 3 : dim;
        int[] Shape(int size) => new[] { 2, 3, 4 }.Select((s, k) => k == d ? size : s).ToArray();
        var parts = new[] { GradCheck.Random(rng, -1, 1, Shape(1)), GradCheck.Random(rng, -1, 1, Shape(0)), GradCheck.Random(rng, -1, 1, Shape(3)) };
        var y = O.Concat(parts, dim);
        Assert.Equal(Shape(4), y.Shape);
        foreach (var i in Indices(y.Shape))
        {
            var (part, k) = i[d] < 1 ? (0, i[d]) : (2, i[d] - 1);
            var src = (int[])i.Clone();
            src[d] = k;
            Assert.Equal(At(parts[part], src), At(y, i));
        }
        GradCheck.Check(t => O.Concat(t, dim), parts);
        Assert.Throws<ArgumentException>(() => O.Concat([Tensor.Persistent(2, 3, 4), Tensor.Persistent(2, 3, 5)], d == 2 ? 0 : d));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void StackAddsAnAxisAndGradientsCheck(int dim)
    {
        var rng = new Rng(66);
        var parts = Enumerable.Range(0, 3).Select(_ => GradCheck.Random(rng, -1, 1, 2, 5)).ToArray();
        var y = O.Stack(parts, dim);
        var d = dim < 0 ? dim + 3 : dim;
        var shape = new List<int> { 2, 5 };
        shape.Insert(d, 3);
        Assert.Equal(shape.ToArray(), y.Shape);
        foreach (var i in Indices(y.Shape))
        {
            var rest = i.Where((_, k) => k != d).ToArray();
            Assert.Equal(At(parts[i[d]], rest), At(y, i));
        }
        GradCheck.Check(t => O.Stack(t, dim), parts);
        Assert.Throws<ArgumentException>(() => O.Stack([Tensor.Persistent(2), Tensor.Persistent(3)], 0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void IndexSelectWithRepeatsScatterAddsGradients(int dim)
    {
        var x = GradCheck.Random(new Rng(67), -1, 1, 3, 4, 5);
        int[] index = [2, 0, 2, 1];
        var y = O.IndexSelect(x, dim, index);
        Assert.Equal(x.Shape.Select((s, k) => k == dim ? index.Length : s).ToArray(), y.Shape);
        foreach (var i in Indices(y.Shape))
        {
            var src = (int[])i.Clone();
            src[dim] = index[i[dim]];
            Assert.Equal(At(x, src), At(y, i));
        }
        GradCheck.Check(t => O.IndexSelect(t[0], dim, index), [x]);
        Assert.Throws<ArgumentOutOfRangeException>(() => O.IndexSelect(x, dim, [3 + dim * 2]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void GatherReadsAlongAnAxisAndGradientsCheck(int dim)
    {
        var rng = new Rng(68);
        var x = GradCheck.Random(rng, -1, 1, 3, 4, 5);
        // The index may be smaller than x in the other dimensions and repeat entries.
        int[] indexShape = dim switch { 0 => [5, 3, 2], 1 => [2, 6, 4], _ => [3, 2, 7] };
        var index = new int[ShapeUtil.Numel(indexShape)];
        for (var i = 0; i < index.Length; i++) index[i] = rng.NextInt(x.Shape[dim]);
        var y = O.Gather(x, dim, index, indexShape);
        Assert.Equal(indexShape, y.Shape);
        var flat = 0;
        foreach (var i in Indices(indexShape))
        {
            var src = (int[])i.Clone();
            src[dim] = index[flat++];
            Assert.Equal(At(x, src), At(y, i));
        }
        GradCheck.Check(t => O.Gather(t[0], dim, index, indexShape), [x]);
    }

    [Fact]
    public void GatherRejectsIndexOutsideTheInput()
    {
        var x = Tensor.Persistent(2, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => O.Gather(x, 1, [0, 3], [1, 2]));
        Assert.Throws<ArgumentException>(() => O.Gather(x, 1, [0, 0, 0], [3, 1]));
    }

    [Fact]
    public void DropoutMaskIsDeterminedBySeedAndScalesSurvivors()
    {
        var x = Tensor.Full(1f, 4099).Clone();
        var a = O.Dropout(x, 0.25f, new Rng(7), training: true).ToArray();
        var b = O.Dropout(x, 0.25f, new Rng(7), training: true).ToArray();
        var c = O.Dropout(x, 0.25f, new Rng(8), training: true).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(a, v => Assert.True(v == 0f || v == 1f / 0.75f));
        var dropped = a.Count(v => v == 0f) / (double)a.Length;
        Assert.InRange(dropped, 0.22, 0.28);
    }

    [Fact]
    public void DropoutIsTheIdentityInEvalAndAtZeroAndDropsAllAtOne()
    {
        var x = GradCheck.Random(new Rng(69), -1, 1, 3, 5);
        Assert.Same(x, O.Dropout(x, 0.5f, new Rng(1), training: false));
        Assert.Same(x, O.Dropout(x, 0f, new Rng(1), training: true));
        Assert.All(O.Dropout(x, 1f, new Rng(1), training: true).ToArray(), v => Assert.Equal(0f, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => O.Dropout(x, 1.5f, new Rng(1), training: true));
    }

    [Fact]
    public void DropoutGradientIsTheMask()
    {
        var x = GradCheck.Random(new Rng(70), -1, 1, 3, 7);
        x.RequiresGrad = true;
        var y = O.Dropout(x, 0.5f, new Rng(3), training: true);
        O.Sum(y).Backward();
        for (var i = 0; i < x.Length; i++) Assert.Equal(y.Span[i] == 0f ? 0f : 2f, x.Grad!.Span[i]);
        // With a fresh generator of the same seed per call, finite differences see the same mask.
        GradCheck.Check(t => O.Dropout(t[0], 0.5f, new Rng(3), training: true), [x]);
    }
}
