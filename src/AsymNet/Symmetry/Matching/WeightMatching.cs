using AsymNet.NN.Models;
using AsymNet.Tensors;
using AsymNet.Tensors.Gemm;

namespace AsymNet.Symmetry.Matching;

/// <summary>
/// Git Re-Basin weight matching (Ainsworth et al. 2023; the authors' lmc/rebasin/weight_matching.py,
/// docs/paper.md#weight-matching): find permutations P of B's hidden units maximising Σ over tensors ⟨W_A, P(W_B)⟩ by
/// coordinate ascent. Starting from the identity, each sweep visits the permutations in a random order; for permutation
/// p it builds the score matrix S[i, j] = Σ over the (tensor, axis) pairs p acts on of ⟨row i of W_A, row j of W_B⟩,
/// with the tensors viewed as [units along that axis, rest] and B's other axes already permuted, and replaces p by the
/// exact maximum-weight assignment of S. It stops after a sweep without progress or after the sweep limit.
/// <para>Deviation: progress means new &gt; old + 1e-12·max(1, |old|) rather than the authors' absolute 1e-12, so that
/// float rounding of large scores cannot keep it sweeping. Score products run in float32 through the process GEMM as
/// in the authors' torch code; sums and the assignment are float64.</para>
/// </summary>
public static class WeightMatching
{
    public const int DefaultMaxSweeps = 100;

    /// <summary>
    /// Matches model B to model A (same architecture) and returns B's state dict permuted into A's basin: a new
    /// dictionary to load into a model of B's config. Only standard networks keep their function under it; the fixed
    /// parts of W-Asym and σ-Asym networks stay in place, which is the point of those networks.
    /// </summary>
    public static (Dictionary<string, Tensor> Aligned, WeightMatchingResult Result) Align(Model a, Model b, Rng rng, int maxSweeps = DefaultMaxSweeps)
    {
        var spec = PermutationSpec.For(b);
        var stateB = b.StateDict().ToDictionary();
        var result = Match(spec, a.StateDict().ToDictionary(), stateB, rng, maxSweeps);
        return (spec.Apply(stateB, result.Permutations), result);
    }

    /// <summary>Matches B to A. <paramref name="rng"/> orders the permutations within each sweep.</summary>
    public static WeightMatchingResult Match(PermutationSpec spec, IReadOnlyDictionary<string, Tensor> a, IReadOnlyDictionary<string, Tensor> b,
        Rng rng, int maxSweeps = DefaultMaxSweeps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSweeps);
        spec.CheckState(a, "first state dict (A)");
        spec.CheckState(b, "second state dict (B)");
        var perms = spec.Identity();
        var before = Objective(spec, a, b, perms);
        var cache = new Dictionary<(string, int), CachedProduct>();
        var scores = new Dictionary<int, double[]>();
        var sweeps = 0;
        var converged = false;
        while (sweeps < maxSweeps && !converged)
        {
            sweeps++;
            converged = true;
            foreach (var p in rng.Permutation(spec.Permutations.Count))
            {
                var n = spec.Permutations[p].Size;
                var score = ScoreMatrix(spec, p, a, b, perms, cache, scores);
                var best = LinearAssignment.Solve(score, n, maximize: true).RowToColumn;
                double oldScore = 0, newScore = 0;
                for (var i = 0; i < n; i++)
                {
                    oldScore += score[i * n + perms[p][i]];
                    newScore += score[i * n + best[i]];
                }
                if (newScore > oldScore + 1e-12 * Math.Max(1, Math.Abs(oldScore))) converged = false;
                perms[p] = best;
            }
        }
        var changes = spec.Permutations.Select((g, p) => new PermutationChange(g.Name, g.Size, PermutationSpec.MovedUnits(perms[p]))).ToList();
        return new WeightMatchingResult(perms, before, Objective(spec, a, b, perms), sweeps, converged, changes);
    }

    /// <summary>Σ over the spec's objective tensors of ⟨W_A, P(W_B)⟩, in float64.</summary>
    public static double Objective(PermutationSpec spec, IReadOnlyDictionary<string, Tensor> a, IReadOnlyDictionary<string, Tensor> b, IReadOnlyList<IReadOnlyList<int>> perms)
    {
        spec.CheckPermutations(perms);
        var arrays = perms.Select(p => p.ToArray()).ToArray();
        var total = 0.0;
        foreach (var key in spec.ObjectiveKeys.Order(StringComparer.Ordinal))
        {
            var (wa, wb) = (a[key], b[key]);
            var permuted = new float[wb.Length];
            AxisGather.Gather(wb.Span, wb.Shape, -1, spec.PermsOf(key, arrays), permuted);
            var sa = wa.Span;
            for (var i = 0; i < permuted.Length; i++) total += (double)sa[i] * permuted[i];
        }
        return total;
    }

    /// <summary>S = Σ over (key, axis) of p of A_axis-first · B'_axis-firstᵀ, B' = B with every other axis permuted.
    /// Each term is cached with the permutations it used and recomputed only when one of them changed: the first
    /// layer's term never changes, and late sweeps change few permutations (and those at few positions: see
    /// <see cref="TryUpdate"/>). When the axis is the first or the last one
    /// (every MLP weight, bias and norm vector) the product runs on the tensors as laid out, with the GEMM's transpose
    /// flags, instead of on axis-first copies: only B's other axis is gathered, into a buffer kept with the term. The
    /// returned array is reused by the next call.</summary>
    private static double[] ScoreMatrix(PermutationSpec spec, int p, IReadOnlyDictionary<string, Tensor> a, IReadOnlyDictionary<string, Tensor> b,
        int[][] perms, Dictionary<(string, int), CachedProduct> cache, Dictionary<int, double[]> scores)
    {
        var n = spec.Permutations[p].Size;
        if (!scores.TryGetValue(n, out var score)) scores[n] = score = new double[n * n];
        Array.Clear(score);
        foreach (var (key, axis) in spec.Permutations[p].Axes)
        {
            if (!spec.ObjectiveKeys.Contains(key)) continue;
            var others = spec.PermsOf(key, perms);
            others[axis] = null;
            var (ta, tb) = (a[key], b[key]);
            var rest = tb.Length / n;
            var layout = axis == 0 ? TermLayout.AxisFirst : axis == tb.Rank - 1 ? TermLayout.AxisLast : TermLayout.Moved;
            if (!cache.TryGetValue((key, axis), out var cached))
                cache[(key, axis)] = cached = new CachedProduct(layout == TermLayout.Moved ? AxisFirst(ta, axis, null) : ta.Span.ToArray(), tb.Length, n);
            if (cached.Others is not null && layout != TermLayout.Moved && tb.Rank == 2 && TryUpdate(cached, ta, tb, layout, others, n))
                cached.Others = others;
            else if (cached.Others is null || !SamePermutations(cached.Others, others))
            {
                var mb = cached.BPermuted;
                if (layout == TermLayout.Moved) AxisGather.Gather(tb.Span, tb.Shape, axis, others, mb);
                else AxisGather.Gather(tb.Span, tb.Shape, -1, others, mb);
                if (layout == TermLayout.AxisLast) // [rest, n]: S = Aᵀ·B'
                    Blas.Current.Sgemm(true, false, n, n, rest, 1f, cached.ARows, n, mb, n, 0f, cached.Product, n);
                else // [n, rest]: S = A·B'ᵀ
                    Blas.Current.Sgemm(false, true, n, n, rest, 1f, cached.ARows, rest, mb, rest, 0f, cached.Product, n);
                cached.Others = others;
            }
            Tensors.Ops.Normalization.AddWidened(cached.Product, score); // score += product in float64, vectorised
        }
        return score;
    }

    /// <summary>
    /// Brings a 2-D term up to date when the permutation of its other axis changed at a few positions only: with C the k
    /// rows (axis last) or columns (axis first) whose source moved, S += A_Cᵀ·(B_new − B_old)_C, a GEMM of depth k
    /// instead of the whole product (late sweeps move a few dozen of 512 units). False (nothing done) when more than a
    /// third moved; then the term is recomputed. Unchanged permutations return true without work.
    /// </summary>
    private static bool TryUpdate(CachedProduct cached, Tensor ta, Tensor tb, TermLayout layout, int[]?[] others, int n)
    {
        var other = layout == TermLayout.AxisLast ? 0 : 1;
        var (was, now) = (cached.Others![other], others[other]);
        if (was is null || now is null) return was is null && now is null;
        var r = tb.Shape[other];
        var changed = 0;
        for (var i = 0; i < r; i++) if (was[i] != now[i]) changed++;
        if (changed == 0) return true;
        if (3 * changed > r) return false;
        var a = new float[changed * n];
        var d = new float[changed * n];
        var sa = ta.Span;
        var sb = tb.Span;
        var k = 0;
        for (var i = 0; i < r; i++)
        {
            if (was[i] == now[i]) continue;
            if (layout == TermLayout.AxisLast)
            {
                // [r, n]: row i of A, and B's rows now[i] − was[i].
                sa.Slice(i * n, n).CopyTo(a.AsSpan(k * n, n));
                System.Numerics.Tensors.TensorPrimitives.Subtract(sb.Slice(now[i] * n, n), sb.Slice(was[i] * n, n), d.AsSpan(k * n, n));
            }
            else
            {
                // [n, r]: column i of A, and B's columns now[i] − was[i], stored k-wide per unit.
                for (var j = 0; j < n; j++)
                {
                    a[j * changed + k] = sa[j * r + i];
                    d[j * changed + k] = sb[j * r + now[i]] - sb[j * r + was[i]];
                }
            }
            k++;
        }
        if (layout == TermLayout.AxisLast) Blas.Current.Sgemm(true, false, n, n, changed, 1f, a, n, d, n, 1f, cached.Product, n);
        else Blas.Current.Sgemm(false, true, n, n, changed, 1f, a, changed, d, changed, 1f, cached.Product, n);
        return true;
    }

    /// <summary>Where the permuted axis sits in a score term's tensor.</summary>
    private enum TermLayout { AxisFirst, AxisLast, Moved }

    /// <summary>The tensor as a [units along <paramref name="axis"/>, rest] matrix, other axes permuted as given.</summary>
    private static float[] AxisFirst(Tensor t, int axis, int[]?[]? others)
    {
        var m = new float[t.Length];
        AxisGather.Gather(t.Span, t.Shape, axis, others ?? new int[]?[t.Rank], m);
        return m;
    }

    private static bool SamePermutations(int[]?[] x, int[]?[] y)
    {
        for (var k = 0; k < x.Length; k++)
            if (x[k] is null ? y[k] is not null : y[k] is null || !x[k].AsSpan().SequenceEqual(y[k]))
                return false;
        return true;
    }

    /// <summary>One score term: A's matrix (fixed), B's with the other axes permuted (a reused buffer), and the n×n
    /// product for the permutations in Others.</summary>
    private sealed class CachedProduct(float[] aRows, int length, int n)
    {
        public float[] ARows { get; } = aRows;
        public float[] BPermuted { get; } = new float[length];
        public int[]?[]? Others { get; set; }
        public float[] Product { get; } = new float[n * n];
    }
}
