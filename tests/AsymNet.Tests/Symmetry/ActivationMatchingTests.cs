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
}
