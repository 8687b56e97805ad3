using AsymNet.NN.Models;
using AsymNet.Tensors;
using AsymNet.Tensors.Gemm;
using AsymNet.Tensors.Ops;

namespace AsymNet.Symmetry.Matching;

/// <summary>
/// Activation matching for the GNN (docs/paper.md#activation-matching): run both networks in eval mode on the full
/// graph, take each message-passing layer's pre-norm activations (the output of its Linear), score unit pairs across
/// the two networks, and solve one exact assignment per layer. Hidden-unit permutations preserve the function, so each
/// layer's activations are those of the unpermuted network and the layers can be matched independently.
/// <para>Differences from the authors' code: B is permuted into A's basin (as in weight matching; the authors permute
/// the first network, which gives the same interpolation path up to a permutation), and applying the result through
/// <see cref="PermutationSpec.Apply"/> also permutes BatchNorm running_mean/running_var. The authors forget those
/// (docs/paper.md#h12), so their permuted network is not the same function until its statistics are
/// re-estimated.</para>
/// </summary>
public static class ActivationMatching
{
    /// <summary>Matches B to A on node features <paramref name="x"/> of graph <paramref name="adjacency"/>.</summary>
    public static ActivationMatchingResult Match(Gnn a, Gnn b, Tensor x, CsrAdjacency adjacency, ActivationSimilarity similarity = ActivationSimilarity.CrossProduct)
    {
        if (a.Convs.Count != b.Convs.Count)
            throw new ArgumentException($"The networks have {a.Convs.Count} and {b.Convs.Count} message-passing layers.");
        var names = PermutationSpec.For(b).Permutations.Select(g => g.Name).ToList();
        var perms = new int[a.Convs.Count][];
        var layers = new List<LayerMatch>();
        var (wasTrainingA, wasTrainingB) = (a.Training, b.Training);
        a.Eval();
        b.Eval();
        try
        {
            using var noGrad = GradMode.NoGrad();
            var (xa, xb) = (x, x);
            for (var i = 0; i < a.Convs.Count; i++)
            {
                using var scope = TensorScope.Begin();
                var (za, ha) = LayerForward(a, i, xa, adjacency);
                var (zb, hb) = LayerForward(b, i, xb, adjacency);
                var score = Similarity(za, zb, similarity);
                perms[i] = LinearAssignment.Solve(score, za.Shape[1], maximize: true).RowToColumn;
                layers.Add(Summary(names[i], score, perms[i]));
                // Outputs outlive the scope as garbage-collected copies; everything else of this layer is recycled.
                (xa, xb) = (ha.Clone(), hb.Clone());
            }
        }
        finally
        {
            a.Train(wasTrainingA);
            b.Train(wasTrainingB);
        }
        return new ActivationMatchingResult(perms, layers);
    }

    /// <summary>
    /// Layer <paramref name="i"/> of the GNN as its GnnConv computes it (aggregate, Linear, norm, activation), with the
    /// Linear's output exposed; the dropout between layers is the identity in eval mode.
    /// </summary>
    internal static (Tensor PreNorm, Tensor Output) LayerForward(Gnn model, int i, Tensor x, CsrAdjacency adjacency)
    {
        var conv = model.Convs[i];
        var z = conv.Lin.Forward(Ops.GraphMeanAggregate(x, adjacency));
        var h = z;
        for (var k = 1; k < conv.Mlp.Count; k++) h = conv.Mlp[k].Forward(h);
        return (z, h);
    }

    /// <summary>The units × units similarity of activations <paramref name="a"/> and <paramref name="b"/> (both [samples, units]).</summary>
    public static double[] Similarity(Tensor a, Tensor b, ActivationSimilarity similarity)
    {
        if (a.Rank != 2 || !ShapeUtil.SameShape(a.Shape, b.Shape))
            throw new ArgumentException($"Activations must be two [samples, units] matrices of one shape, got {ShapeUtil.Format(a.Shape)} and {ShapeUtil.Format(b.Shape)}.");
        var (samples, units) = (a.Shape[0], a.Shape[1]);
        var product = new float[units * units];
        Blas.Current.Sgemm(true, false, units, units, samples, 1f, a.Span, units, b.Span, units, 0f, product, units);
        var score = product.Select(v => (double)v).ToArray();
        if (similarity == ActivationSimilarity.CrossProduct) return score;

        var (meanA, stdA) = Moments(a);
        var (meanB, stdB) = Moments(b);
        for (var i = 0; i < units; i++)
            for (var j = 0; j < units; j++)
            {
                var denominator = samples * stdA[i] * stdB[j];
                score[i * units + j] = denominator > 0 ? (score[i * units + j] - samples * meanA[i] * meanB[j]) / denominator : 0;
            }
        return score;
    }

    /// <summary>Per column: mean and population standard deviation, in float64.</summary>
    private static (double[] Mean, double[] Std) Moments(Tensor t)
    {
        var (rows, cols) = (t.Shape[0], t.Shape[1]);
        var (mean, std) = (new double[cols], new double[cols]);
        var span = t.Span;
        // Two passes: E[x²] − E[x]² would cancel catastrophically for units with a large mean.
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++) mean[c] += span[r * cols + c];
        for (var c = 0; c < cols; c++) mean[c] /= Math.Max(1, rows);
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
            {
                var d = span[r * cols + c] - mean[c];
                std[c] += d * d;
            }
        for (var c = 0; c < cols; c++) std[c] = Math.Sqrt(std[c] / Math.Max(1, rows));
        return (mean, std);
    }

    private static LayerMatch Summary(string name, double[] score, int[] perm)
    {
        var n = perm.Length;
        double identity = 0, matched = 0;
        for (var i = 0; i < n; i++)
        {
            identity += score[i * n + i];
            matched += score[i * n + perm[i]];
        }
        return new LayerMatch(name, n, identity, matched, PermutationSpec.MovedUnits(perm));
    }
}
