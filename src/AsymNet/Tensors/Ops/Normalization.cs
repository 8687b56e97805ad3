using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AsymNet.Tensors.Ops;

/// <summary>
/// How a normalization sees its input: [N, C, S] (S = product of the trailing dimensions, 1 for rank 2), with
/// per-channel affine parameters of length C. <see cref="Groups"/> &gt; 0: statistics per (n, group of C/Groups
/// channels), each group a contiguous run of C/Groups·S elements (layer norm is one group of C = features, S = 1).
/// <see cref="Groups"/> = 0: statistics per channel over N·S elements (batch norm).
/// </summary>
internal readonly record struct NormLayout(int N, int C, int S, int Groups)
{
    public bool PerChannel => Groups == 0;

    /// <summary>Number of (mean, variance) pairs.</summary>
    public int StatCount => PerChannel ? C : N * Groups;

    /// <summary>Elements each statistic is taken over.</summary>
    public int StatSize => PerChannel ? N * S : C / Groups * S;

    public int ChannelsPerGroup => C / Groups;
}

/// <summary>
/// The one normalization core behind LayerNorm, GroupNorm and BatchNorm: y = (x − mean)·rstd·w + b per statistic
/// group with per-channel affine, statistics accumulated in float64 with a shift (the group's first element) so that
/// a large mean does not cancel the variance, and the closed-form backward
/// dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) with g = w·dy. Both directions run row by row (one n at a time): the
/// per-statistic scalars are expanded to per-channel coefficient rows, and every element is then touched by
/// TensorPrimitives calls over whole rows (S = 1) or whole planes (S &gt; 1), as y = x·A + B like PyTorch's kernels.
/// </summary>
internal static class Normalization
{
    /// <summary>Biased mean and variance of every statistic group of x, in float64.</summary>
    public static void Statistics(ReadOnlySpan<float> x, NormLayout l, Span<double> mean, Span<double> variance)
    {
        var m = l.StatSize;
        if (!l.PerChannel)
        {
            for (var s = 0; s < l.StatCount; s++)
            {
                var span = x.Slice(s * m, m);
                var k = m == 0 ? 0f : span[0];
                var (s1, s2) = ShiftedMoments(span, k, span, k);
                Finish(k, s1, s2, m, out mean[s], out variance[s]);
            }
            return;
        }
        var sums = ArrayPool<double>.Shared.Rent(2 * l.C);
        var sum1 = sums.AsSpan(0, l.C);
        var sum2 = sums.AsSpan(l.C, l.C);
        sum1.Clear();
        sum2.Clear();
        var shift = TensorPool.Rent(3 * l.C);
        var k0 = shift.AsSpan(0, l.C);
        if (l.N > 0 && l.S > 0)
            for (var c = 0; c < l.C; c++) k0[c] = x[c * l.S];
        else k0.Clear();
        var rowLength = l.C * l.S;
        for (var n = 0; n < l.N; n++)
        {
            var row = x.Slice(n * rowLength, rowLength);
            if (l.S == 1)
            {
                // Columns: accumulate the whole row at once, element c into channel c.
                var d = shift.AsSpan(l.C, l.C);
                var d2 = shift.AsSpan(2 * l.C, l.C);
                TensorPrimitives.Subtract(row, k0, d);
                TensorPrimitives.Multiply(d, d, d2);
                AddWidened(d, sum1);
                AddWidened(d2, sum2);
                continue;
            }
            for (var c = 0; c < l.C; c++)
            {
                var plane = row.Slice(c * l.S, l.S);
                var (s1, s2) = ShiftedMoments(plane, k0[c], plane, k0[c]);
                sum1[c] += s1;
                sum2[c] += s2;
            }
        }
        for (var c = 0; c < l.C; c++) Finish(k0[c], sum1[c], sum2[c], m, out mean[c], out variance[c]);
        TensorPool.Return(shift);
        ArrayPool<double>.Shared.Return(sums);
    }

    private static void Finish(float k, double s1, double s2, int m, out double mean, out double variance)
    {
        var d = s1 / m;
        mean = k + d;
        variance = Math.Max(s2 / m - d * d, 0.0);
    }

    /// <summary>
    /// Normalizes x with the given statistics and records the backward. <paramref name="statsFromInput"/>: the
    /// statistics were computed from x (layer/group norm, batch norm in training), so the gradient flows through them;
    /// otherwise they are constants (batch norm in eval).
    /// </summary>
    public static Tensor Normalize(Tensor x, NormLayout l, ReadOnlySpan<double> mean, ReadOnlySpan<double> variance, float eps,
        Tensor? weight, Tensor? bias, bool statsFromInput)
    {
        // Saved rows: mean, rstd, shift = −mean·rstd (so that x̂ = x·rstd + shift).
        var count = l.StatCount;
        var stats = Tensor.Empty(3, count);
        var ss = stats.Span;
        for (var s = 0; s < count; s++)
        {
            var rstd = 1.0 / Math.Sqrt(variance[s] + eps);
            ss[s] = (float)mean[s];
            ss[count + s] = (float)rstd;
            ss[2 * count + s] = (float)(-mean[s] * rstd);
        }
        var y = Tensor.Empty(x.Shape);
        Forward(x.Span, l, stats, weight, bias, y.Span);
        if (GradMode.Enabled && (x.RequiresGrad || weight is { RequiresGrad: true } || bias is { RequiresGrad: true }))
        {
            Tensor[] inputs = weight is null
                ? bias is null ? [x] : [x, bias]
                : bias is null ? [x, weight] : [x, weight, bias];
            Autograd.Record(y, inputs, g => Backward(x, g, l, stats, weight, bias, statsFromInput));
        }
        return y;
    }

    private static void Forward(ReadOnlySpan<float> x, NormLayout l, Tensor stats, Tensor? weight, Tensor? bias, Span<float> y)
    {
        var count = l.StatCount;
        var rstd = stats.Span.Slice(count, count);
        var shift = stats.Span.Slice(2 * count, count);
        var scratch = TensorPool.Rent(4 * l.C);
        var e1 = scratch.AsSpan(0, l.C);
        var e2 = scratch.AsSpan(l.C, l.C);
        var a = scratch.AsSpan(2 * l.C, l.C);
        var b = scratch.AsSpan(3 * l.C, l.C);
        var rowLength = l.C * l.S;
        for (var n = 0; n < l.N; n++)
        {
            if (n == 0 || !l.PerChannel)
            {
                // y = x·A + B with A = rstd·w, B = shift·w + b.
                var r = Expand(l, n, rstd, e1);
                var sh = Expand(l, n, shift, e2);
                if (weight is null) { r.CopyTo(a); sh.CopyTo(b); }
                else
                {
                    TensorPrimitives.Multiply(r, weight.Span, a);
                    TensorPrimitives.Multiply(sh, weight.Span, b);
                }
                if (bias is not null) TensorPrimitives.Add(b, bias.Span, b);
            }
            AffineRow(x.Slice(n * rowLength, rowLength), a, b, y.Slice(n * rowLength, rowLength), l.S);
        }
        TensorPool.Return(scratch);
    }

    private static void Backward(Tensor x, Tensor g, NormLayout l, Tensor stats, Tensor? weight, Tensor? bias, bool statsFromInput)
    {
        var wantX = x.RequiresGrad;
        var wantW = weight is not null && weight.RequiresGrad;
        var wantB = bias is not null && bias.RequiresGrad;
        var throughStats = wantX && statsFromInput;
        var count = l.StatCount;
        var ss = stats.Span;
        var mean = ss[..count];
        var rstd = ss.Slice(count, count);
        var shift = ss.Slice(2 * count, count);
        var xs = x.Span;
        var gs = g.Span;
        var w = weight is null ? default : weight.Span;
        var rowLength = l.C * l.S;

        var scratch = TensorPool.Rent(6 * l.C + 2 * count);
        var e1 = scratch.AsSpan(0, l.C);
        var e2 = scratch.AsSpan(l.C, l.C);
        var e3 = scratch.AsSpan(2 * l.C, l.C);
        var p1 = scratch.AsSpan(3 * l.C, l.C);
        var p2 = scratch.AsSpan(4 * l.C, l.C);
        var xhat = scratch.AsSpan(5 * l.C, l.C);
        var beta = scratch.AsSpan(6 * l.C, count);
        var gamma = scratch.AsSpan(6 * l.C + count, count);
        var sums = ArrayPool<double>.Shared.Rent(2 * l.C + 2 * count);
        var dbSum = sums.AsSpan(0, l.C);
        var dwSum = sums.AsSpan(l.C, l.C);
        var sg = sums.AsSpan(2 * l.C, count);
        var sgx = sums.AsSpan(2 * l.C + count, count);
        sums.AsSpan(0, 2 * l.C + 2 * count).Clear();

        // Pass 1: per channel Σdy (p1) and Σdy·x̂ (p2) of this row; their totals are db and dw, and their w-weighted
        // sums over a statistic group are Σg and Σg·x̂ of the closed form.
        if (wantW || wantB || throughStats)
        {
            for (var n = 0; n < l.N; n++)
            {
                var xRow = xs.Slice(n * rowLength, rowLength);
                var gRow = gs.Slice(n * rowLength, rowLength);
                var r = Expand(l, n, rstd, e1);
                ReadOnlySpan<float> rowP1;
                if (l.S == 1)
                {
                    TensorPrimitives.MultiplyAdd(xRow, r, Expand(l, n, shift, e2), xhat);
                    TensorPrimitives.Multiply(gRow, xhat, p2);
                    rowP1 = gRow;
                }
                else
                {
                    var mu = Expand(l, n, mean, e2);
                    for (var c = 0; c < l.C; c++)
                    {
                        var (s1, s2) = ShiftedMoments(gRow.Slice(c * l.S, l.S), 0f, xRow.Slice(c * l.S, l.S), mu[c]);
                        p1[c] = (float)s1;
                        p2[c] = (float)(s2 * r[c]);
                    }
                    rowP1 = p1;
                }
                AddWidened(rowP1, dbSum);
                AddWidened(p2, dwSum);
                if (throughStats && !l.PerChannel)
                {
                    var cg = l.ChannelsPerGroup;
                    for (var k = 0; k < l.Groups; k++)
                    {
                        var q1 = rowP1.Slice(k * cg, cg);
                        var q2 = p2.Slice(k * cg, cg);
                        sg[n * l.Groups + k] = weight is null ? TensorPrimitives.Sum(q1) : TensorPrimitives.Dot(q1, w.Slice(k * cg, cg));
                        sgx[n * l.Groups + k] = weight is null ? TensorPrimitives.Sum(q2) : TensorPrimitives.Dot(q2, w.Slice(k * cg, cg));
                    }
                }
            }
            if (throughStats && l.PerChannel)
                for (var c = 0; c < l.C; c++)
                {
                    var wc = weight is null ? 1.0 : w[c];
                    sg[c] = wc * dbSum[c];
                    sgx[c] = wc * dwSum[c];
                }
        }
        if (wantW) WriteGrad(weight!, dwSum);
        if (wantB) WriteGrad(bias!, dbSum);

        if (wantX)
        {
            // Pass 2: dx = dy·α + x·β + γ with α = rstd·w, β = −rstd²·mean(g·x̂), γ = −rstd·mean(g) − mean·β.
            var m = (double)l.StatSize;
            for (var s = 0; s < count; s++)
            {
                var b2 = throughStats ? -(double)rstd[s] * rstd[s] * sgx[s] / m : 0.0;
                beta[s] = (float)b2;
                gamma[s] = throughStats ? (float)(-rstd[s] * sg[s] / m - mean[s] * b2) : 0f;
            }
            var gx = Tensor.Empty(x.Shape);
            var dx = gx.Span;
            // The pass-1 rows are free now: they hold α, β and γ expanded per channel.
            var alpha = p1;
            var betaRow = p2;
            var gammaRow = xhat;
            for (var n = 0; n < l.N; n++)
            {
                if (n == 0 || !l.PerChannel)
                {
                    var r = Expand(l, n, rstd, e1);
                    if (weight is null) r.CopyTo(alpha);
                    else TensorPrimitives.Multiply(r, w, alpha);
                    Expand(l, n, beta, e2).CopyTo(betaRow);
                    Expand(l, n, gamma, e3).CopyTo(gammaRow);
                }
                var at = n * rowLength;
                GradRow(gs.Slice(at, rowLength), xs.Slice(at, rowLength), alpha, betaRow, gammaRow, dx.Slice(at, rowLength), l.S);
            }
            Autograd.AccumulateOwned(x, gx);
        }
        ArrayPool<double>.Shared.Return(sums);
        TensorPool.Return(scratch);
    }

    /// <summary>Adds the float64 sums into a parameter's gradient (in place for a hook-free leaf).</summary>
    private static void WriteGrad(Tensor parameter, ReadOnlySpan<double> sums)
    {
        var buffer = Autograd.LeafGradBuffer(parameter);
        var target = buffer ?? Tensor.Empty(parameter.Shape);
        var t = target.Span;
        if (buffer is null) for (var c = 0; c < t.Length; c++) t[c] = (float)sums[c];
        else for (var c = 0; c < t.Length; c++) t[c] += (float)sums[c];
        if (buffer is null) Autograd.AccumulateOwned(parameter, target);
    }

    /// <summary>The per-statistic values seen by the C channels of row n: the values themselves (per channel) or each group's value repeated over its channels.</summary>
    private static ReadOnlySpan<float> Expand(NormLayout l, int n, ReadOnlySpan<float> perStat, Span<float> scratch)
    {
        if (l.PerChannel) return perStat;
        var cg = l.ChannelsPerGroup;
        for (var k = 0; k < l.Groups; k++) scratch.Slice(k * cg, cg).Fill(perStat[n * l.Groups + k]);
        return scratch;
    }

    /// <summary>dest = src·a + b with a, b per channel (element c of a row, or plane c of S elements).</summary>
    private static void AffineRow(ReadOnlySpan<float> src, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dest, int s)
    {
        if (s == 1) { TensorPrimitives.MultiplyAdd(src, a, b, dest); return; }
        for (var c = 0; c < a.Length; c++)
            SimdMap.Map(new ScaleShift(a[c], b[c]), src.Slice(c * s, s), dest.Slice(c * s, s));
    }

    /// <summary>dx = dy·α + x·β + γ with α, β, γ per channel.</summary>
    private static void GradRow(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> alpha, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> gamma, Span<float> dx, int s)
    {
        if (s == 1)
        {
            TensorPrimitives.MultiplyAdd(x, beta, gamma, dx);
            TensorPrimitives.MultiplyAdd(dy, alpha, dx, dx);
            return;
        }
        for (var c = 0; c < alpha.Length; c++)
            SimdMap.Map(new ScaleShift2(alpha[c], beta[c], gamma[c]), dy.Slice(c * s, s), x.Slice(c * s, s), dx.Slice(c * s, s));
    }

    /// <summary>x·a + b.</summary>
    private readonly struct ScaleShift(float a, float b) : IUnaryKernel
    {
        public T Invoke<T>(T x) where T : struct, IFloatVector<T> => T.MultiplyAdd(x, T.Create(a), T.Create(b));
    }

    /// <summary>u·a + v·b + c.</summary>
    private readonly struct ScaleShift2(float a, float b, float c) : IBinaryKernel
    {
        public T Invoke<T>(T u, T v) where T : struct, IFloatVector<T> => T.MultiplyAdd(u, T.Create(a), T.MultiplyAdd(v, T.Create(b), T.Create(c)));
    }

    /// <summary>(Σ(a − sa), Σ(a − sa)·(b − sb)): differences and products in float32, sums in float64.</summary>
    internal static (double Sum, double Dot) ShiftedMoments(ReadOnlySpan<float> a, float sa, ReadOnlySpan<float> b, float sb)
    {
        if (a.Length != b.Length) throw new ArgumentException("Spans must have equal lengths.");
        var i = 0;
        double s1 = 0, s2 = 0;
        var w = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated && a.Length >= w)
        {
            ref var ar = ref MemoryMarshal.GetReference(a);
            ref var br = ref MemoryMarshal.GetReference(b);
            var (va, vb) = (new Vector<float>(sa), new Vector<float>(sb));
            Vector<double> acc1 = default, acc2 = default;
            for (; i <= a.Length - w; i += w)
            {
                var d = Vector.LoadUnsafe(ref ar, (nuint)i) - va;
                var p = d * (Vector.LoadUnsafe(ref br, (nuint)i) - vb);
                Vector.Widen(d, out var dl, out var dh);
                Vector.Widen(p, out var pl, out var ph);
                acc1 += dl + dh;
                acc2 += pl + ph;
            }
            s1 = Vector.Sum(acc1);
            s2 = Vector.Sum(acc2);
        }
        for (; i < a.Length; i++)
        {
            var d = a[i] - sa;
            s1 += d;
            s2 += d * (b[i] - sb);
        }
        return (s1, s2);
    }

    /// <summary>acc[i] += v[i] in float64.</summary>
    internal static void AddWidened(ReadOnlySpan<float> v, Span<double> acc)
    {
        if (acc.Length < v.Length) throw new ArgumentException("Accumulator too short.");
        var i = 0;
        var w = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            ref var vr = ref MemoryMarshal.GetReference(v);
            ref var ar = ref MemoryMarshal.GetReference(acc);
            var half = (nuint)Vector<double>.Count;
            for (; i <= v.Length - w; i += w)
            {
                Vector.Widen(Vector.LoadUnsafe(ref vr, (nuint)i), out var lo, out var hi);
                var at = (nuint)i;
                (Vector.LoadUnsafe(ref ar, at) + lo).StoreUnsafe(ref ar, at);
                (Vector.LoadUnsafe(ref ar, at + half) + hi).StoreUnsafe(ref ar, at + half);
            }
        }
        for (; i < v.Length; i++) acc[i] += v[i];
    }
}
