using AsymNet.NN.Models;
using AsymNet.Symmetry.Audit;
using AsymNet.Tensors;

namespace AsymNet.Tests.Symmetry;

/// <summary>The audit's unit groups name real tensors whose axes have the group's size (no ops needed).</summary>
public class UnitGroupTests
{
    [Theory]
    [InlineData("mlp", "standard", 3, 0)]
    [InlineData("bnn-mlp8", "w", 8, 8)]
    [InlineData("resnet20", "standard", 12, 12)]
    [InlineData("resnet8", "sigma", 6, 0)]
    [InlineData("gnn", "w", 3, 0)]
    public void GroupsReferToTensorsWithMatchingAxes(string preset, string variant, int groups, int rescalable)
    {
        var model = ModelFactory.Create(ModelFactory.Preset(preset, variant), 1);
        var state = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        var found = UnitGroups.For(model);
        Assert.Equal(groups, found.Count);
        Assert.Equal(rescalable, found.Count(g => g.Rescalable));
        foreach (var g in found)
        {
            foreach (var r in g.Permuted.Concat(g.ScaledDown).Concat(g.ScaledUp.Select(k => new AxisRef(k, 0))))
            {
                Assert.True(state.ContainsKey(r.Key), $"{g.Name}: no tensor '{r.Key}'.");
                Assert.Equal(g.Size, state[r.Key].Shape[r.Axis]);
            }
            Assert.DoesNotContain(g.Permuted, r => r.Key.EndsWith("mask") || r.Key.EndsWith(".C") || r.Key.EndsWith("F_mat"));
        }
    }

    [Fact]
    public void PermuteAndScaleActOnTheGivenAxis()
    {
        var t = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        AxisTransform.Permute(t, 1, [2, 0, 1]);
        Assert.Equal(new float[] { 3, 1, 2, 6, 4, 5 }, t.ToArray());
        AxisTransform.Scale(t, 0, [2f, 0.5f]);
        Assert.Equal(new float[] { 6, 2, 4, 3, 2, 2.5f }, t.ToArray());
        Assert.Throws<ArgumentException>(() => AxisTransform.Permute(t, 0, [0, 1, 2]));
    }

    [Fact]
    public void RandomGraphIsUndirectedWithoutSelfLoops()
    {
        var g = AuditInputs.RandomGraph(20, 3, new Rng(3));
        for (var i = 0; i < 20; i++)
            for (var e = g.RowPointers[i]; e < g.RowPointers[i + 1]; e++)
            {
                var j = g.ColumnIndices[e];
                Assert.NotEqual(i, j);
                Assert.Contains(i, g.ColumnIndices[g.RowPointers[j]..g.RowPointers[j + 1]]);
            }
    }
}
