using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>x_i + mean over neighbours j of x_j (PyG SimpleConv mean, combine_root sum); isolated nodes keep x_i.</summary>
    public static Tensor GraphMeanAggregate(Tensor x, CsrAdjacency adjacency)
    {
        if (x.Rank != 2 || x.Shape[0] != adjacency.NodeCount)
            throw new ArgumentException($"GraphMeanAggregate: input {ShapeUtil.Format(x.Shape)} does not fit a graph of {adjacency.NodeCount} nodes (expected [nodes, features]).");
        var f = x.Shape[1];
        var (rows, cols) = (adjacency.RowPointers, adjacency.ColumnIndices);
        var y = Tensor.Empty(x.Shape);
        var xs = x.Span;
        var ys = y.Span;
        var sum = TensorPool.Rent(f);
        for (var i = 0; i < adjacency.NodeCount; i++)
        {
            var yRow = ys.Slice(i * f, f);
            var degree = rows[i + 1] - rows[i];
            if (degree == 0) { xs.Slice(i * f, f).CopyTo(yRow); continue; }
            // Sum first, then divide, then add the root, in PyG's order.
            xs.Slice(cols[rows[i]] * f, f).CopyTo(sum);
            for (var e = rows[i] + 1; e < rows[i + 1]; e++) TensorPrimitives.Add(sum, xs.Slice(cols[e] * f, f), sum);
            TensorPrimitives.MultiplyAdd(sum, 1f / degree, xs.Slice(i * f, f), yRow);
        }
        TensorPool.Return(sum);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                // dx_i = g_i + Σ over nodes k that list i as a neighbour of g_k / deg(k).
                var gx = g.CopyScoped();
                var gs = g.Span;
                var gxs = gx.Span;
                for (var k = 0; k < adjacency.NodeCount; k++)
                {
                    var degree = rows[k + 1] - rows[k];
                    if (degree == 0) continue;
                    var gRow = gs.Slice(k * f, f);
                    for (var e = rows[k]; e < rows[k + 1]; e++)
                    {
                        var target = gxs.Slice(cols[e] * f, f);
                        TensorPrimitives.MultiplyAdd(gRow, 1f / degree, target, target);
                    }
                }
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }
}
