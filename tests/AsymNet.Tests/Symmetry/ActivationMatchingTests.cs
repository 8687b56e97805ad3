using AsymNet.NN.Layers;
using AsymNet.NN.Models;
using AsymNet.Symmetry.Audit;
using AsymNet.Symmetry.Matching;
using AsymNet.Tensors;

namespace AsymNet.Tests.Symmetry;

/// <summary>Activation similarities and the per-layer assignment of activation matching.</summary>
public class ActivationMatchingTests
{
    private static Tensor RandomActivations(int samples, int units, Rng rng)
    {
        var t = Tensor.Persistent(samples, units);
        rng.FillNormal(t.Span);
        // Unit-specific offsets and scales, as real pre-norm activations have.
        for (var r = 0; r < samples; r++)
            for (var c = 0; c < units; c++) t.Span[r * units + c] = t.Span[r * units + c] * (1 + c % 3) + c % 5;
        return t;
    }

    private static Tensor PermuteColumns(Tensor t, int[] q)
    {
        var (rows, cols) = (t.Shape[0], t.Shape[1]);
        var p = Tensor.Persistent(rows, cols);
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++) p.Span[r * cols + c] = t.Span[r * cols + q[c]];
        return p;
    }

    [Fact]
    public void SimilaritiesMatchTheirDefinitions()
    {
        var rng = new Rng(1);
        var (a, b) = (RandomActivations(50, 6, rng), RandomActivations(50, 6, rng));
        b.Span[3 * 6 + 2] = 0;
        for (var r = 0; r < 50; r++) b.Span[r * 6 + 4] = 2.5f; // constant unit: no correlation with anything
        var cross = ActivationMatching.Similarity(a, b, ActivationSimilarity.CrossProduct);
        var corr = ActivationMatching.Similarity(a, b, ActivationSimilarity.Correlation);
        for (var i = 0; i < 6; i++)
            for (var j = 0; j < 6; j++)
            {
                var x = Enumerable.Range(0, 50).Select(r => (double)a.Span[r * 6 + i]).ToArray();
                var y = Enumerable.Range(0, 50).Select(r => (double)b.Span[r * 6 + j]).ToArray();
                Assert.Equal(x.Zip(y, (p, q) => p * q).Sum(), cross[i * 6 + j], 1e-3);
                var (mx, my) = (x.Average(), y.Average());
                var sx = Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)));
                var sy = Math.Sqrt(y.Sum(v => (v - my) * (v - my)));
                var pearson = j == 4 ? 0 : x.Zip(y, (p, q) => (p - mx) * (q - my)).Sum() / (sx * sy);
                Assert.Equal(pearson, corr[i * 6 + j], 1e-5);
            }
        Assert.Throws<ArgumentException>(() => ActivationMatching.Similarity(a, Tensor.Persistent(50, 5), ActivationSimilarity.CrossProduct));
    }

    [Theory]
    [InlineData(ActivationSimilarity.CrossProduct)]
    [InlineData(ActivationSimilarity.Correlation)]
    public void ShuffledUnitsAreMatchedBack(ActivationSimilarity similarity)
    {
        var rng = new Rng(2);
        var a = RandomActivations(300, 40, rng);
        var q = rng.Permutation(40);
        var b = PermuteColumns(a, q); // b[:, j] = a[:, q[j]]
        var perm = LinearAssignment.Solve(ActivationMatching.Similarity(a, b, similarity), 40, maximize: true).RowToColumn;
        Assert.Equal(PermutationSpec.Inverse(q), perm);
    }

    [Theory]
    [InlineData(ActivationSimilarity.CrossProduct)]
    [InlineData(ActivationSimilarity.Correlation)]
    public void GnnPermutedAtRandomIsMatchedBackToTheOriginal(ActivationSimilarity similarity)
    {
        var config = ModelFactory.Preset("gnn", "standard") with { InputShape = [16], Width = 48, Classes = 5 };
        var original = (Gnn)ModelFactory.Create(config, 1);
        var rng = new Rng(12);
        // Running statistics unlike their defaults, so that forgetting to permute them (docs/paper.md#h12) would show.
        foreach (var bn in original.NamedModules().Select(m => m.Module).OfType<BatchNorm>())
        {
            rng.FillNormal(bn.RunningMean.Span);
            rng.FillUniform(bn.RunningVar.Span, 0.5f, 2f);
        }
        var spec = PermutationSpec.For(original);
        var state = original.StateDict().ToDictionary();
        var shuffle = spec.Permutations.Select(g => rng.Permutation(g.Size)).ToArray();
        var shuffled = (Gnn)ModelFactory.Create(config, 2);
        shuffled.LoadStateDict(spec.Apply(state, shuffle));

        var graph = AuditInputs.RandomGraph(120, 3, rng);
        var x = Tensor.Persistent(120, 16);
        rng.FillNormal(x.Span);
        var input = new ModelInput(x, graph);
        var y = FunctionComparison.Logits(original, input);
        Assert.True(FunctionComparison.MaxAbsDifference(y, FunctionComparison.Logits(shuffled, input)) <= 1e-4, "A random permutation must keep the function.");

        var result = ActivationMatching.Match(original, shuffled, x, graph, similarity);
        Assert.Equal(shuffle.Select(PermutationSpec.Inverse), result.Permutations);
        var restored = spec.Apply(shuffled.StateDict().ToDictionary(), result.Permutations);
        foreach (var (key, t) in state) Assert.True(t.Span.SequenceEqual(restored[key].Span), key);
        Assert.All(result.Layers, l => Assert.True(l.MatchedScore > l.IdentityScore));

        // docs/paper.md#h12: the authors' permutation leaves BatchNorm running statistics in place, which changes the function.
        var withoutStats = spec.Apply(state, shuffle);
        foreach (var key in state.Keys.Where(k => k.EndsWith("running_mean") || k.EndsWith("running_var"))) withoutStats[key] = state[key];
        shuffled.LoadStateDict(withoutStats);
        Assert.True(FunctionComparison.MaxAbsDifference(y, FunctionComparison.Logits(shuffled, input)) > 1e-2);
    }
}
