using AsymNet.Tensors;
using AsymNet.Tests.Support;
using O = AsymNet.Tensors.Ops.Ops;

namespace AsymNet.Tests.Tensors;

public class GraphAggregateTests
{
    /// <summary>
    /// Five nodes: 0 → {1, 2}, 1 → {0}, 2 → {0, 3, 3} (a repeated edge counts twice), 3 → {3} (a self-loop),
    /// 4 → {} (isolated).
    /// </summary>
    private static CsrAdjacency Graph() => new([0, 2, 3, 6, 7, 7], [1, 2, 0, 0, 3, 3, 3]);

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(17)]
    public void ForwardIsRootPlusNeighbourMean(int features)
    {
        var rng = new Rng(21);
        var a = Graph();
        var x = GradCheck.Random(rng, -1, 1, 5, features);
        var y = O.GraphMeanAggregate(x, a);
        Assert.Equal([5, features], y.Shape);
        for (var i = 0; i < 5; i++)
        {
            var degree = a.RowPointers[i + 1] - a.RowPointers[i];
            for (var f = 0; f < features; f++)
            {
                var want = (double)x.Span[i * features + f];
                if (degree > 0)
                {
                    var sum = 0.0;
                    for (var e = a.RowPointers[i]; e < a.RowPointers[i + 1]; e++) sum += x.Span[a.ColumnIndices[e] * features + f];
                    want += sum / degree;
                }
                Assert.Equal(want, y.Span[i * features + f], 1e-6);
            }
        }
        // The isolated node is passed through unchanged.
        Assert.Equal(x.ToArray()[(4 * features)..], y.ToArray()[(4 * features)..]);
    }

    [Fact]
    public void GradientsCheck()
    {
        var rng = new Rng(22);
        var x = GradCheck.Random(rng, -1, 1, 5, 7);
        GradCheck.Check(t => O.GraphMeanAggregate(t[0], Graph()), [x]);
    }

    [Fact]
    public void BackwardSpreadsEachGradientOverTheNeighboursByOneOverDegree()
    {
        // With dL/dy = 1 everywhere, dL/dx_j = 1 + Σ_{i lists j} 1/deg(i).
        var x = Tensor.Persistent(5, 2);
        x.RequiresGrad = true;
        O.Sum(O.GraphMeanAggregate(x, Graph())).Backward();
        double[] want = [1 + 1 + 1.0 / 3, 1 + 0.5, 1 + 0.5, 1 + 2.0 / 3 + 1, 1];
        for (var j = 0; j < 5; j++)
        {
            Assert.Equal(want[j], x.Grad!.Span[2 * j], 1e-6);
            Assert.Equal(want[j], x.Grad.Span[2 * j + 1], 1e-6);
        }
    }

    [Fact]
    public void InputThatDoesNotFitTheGraphIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => O.GraphMeanAggregate(Tensor.Persistent(4, 3), Graph()));
        Assert.Contains("5 nodes", ex.Message);
    }

    [Fact]
    public void MatchesPyTorch()
    {
        // PyG-style mean over a 12-node graph with an isolated node, a repeated edge and a self-loop.
        var r = OpReference.Load("graph_mean_aggregate");
        var graph = new CsrAdjacency(ReferenceJson.Ints(r.Root.GetProperty("rowPointers")), ReferenceJson.Ints(r.Root.GetProperty("columnIndices")));
        var x = r.Input("x");
        r.AssertOutputAndGradients(O.GraphMeanAggregate(x, graph), 1e-5, ("x", x));
    }
}
