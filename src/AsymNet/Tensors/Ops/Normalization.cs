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

    /// <summary>The statistic that channel c of row n is normalized with.</summary>
    public int StatIndex(int n, int c) => PerChannel ? c : n * Groups + c / (C / Groups);
}

/// <summary>
/// What a normalization applies in its own passes after x̂·w + b, in this order: add a residual, then an activation
/// (oneDNN's post-ops). Only fusions the kernels implement can be built, so a new fusion is a new factory and its
/// <see cref="Fusion"/> case in the row kernels, never a new flag; a residual without ReLU, which the plane kernels do
/// not have, cannot be described.
/// </summary>
public readonly struct NormEpilogue
{
    internal enum Fusion
    {
        None,
        Relu,
        AddRelu,
    }

    private NormEpilogue(Fusion kind, Tensor? residual) => (Kind, Residual) = (kind, residual);

    internal Fusion Kind { get; }

    /// <summary>Added before the activation; it receives the activation's masked gradient as it is.</summary>
    public Tensor? Residual { get; }

    /// <summary>Whether a ReLU ends the epilogue (every fusion so far does).</summary>
    internal bool Relu => Kind != Fusion.None;

    public static NormEpilogue None => default;

    /// <summary>Relu(norm(x)): a ResNet's conv → norm → ReLU.</summary>
    public static NormEpilogue ThenRelu => new(Fusion.Relu, null);

    /// <summary>Relu(norm(x) + residual): a ResNet block's join.</summary>
    public static NormEpilogue AddThenRelu(Tensor residual) => new(Fusion.AddRelu, residual);
}

/// <summary>Where a normalization's statistics come from: x itself (the gradient flows through them) or fixed values.</summary>
internal enum NormStatistics
{
    OfInput,
    Fixed,
}

/// <summary>One normalization: its layout, per-channel affine (either part optional), ε, statistics and epilogue.</summary>
internal readonly record struct NormSpec(NormLayout Layout, Tensor? Weight, Tensor? Bias, float Eps, NormStatistics Statistics, NormEpilogue Epilogue)
{
    public bool StatsFromInput => Statistics == NormStatistics.OfInput;
}

/// <summary>
/// The one normalization core behind LayerNorm, GroupNorm and BatchNorm: y = (x − mean)·rstd·w + b per statistic
/// group with per-channel affine, statistics accumulated in float64 with a shift (the group's first element) so that
/// a large mean does not cancel the variance, and the closed-form backward
/// dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) with g = w·dy. Both directions run row by row (one n at a time) with
/// vector kernels over whole planes (S &gt; 1, scalar coefficients per plane), a group's run of channels (layer norm:
/// scalar statistics, vector affine) or whole rows (batch norm of [N, C]: one coefficient row for all rows), always
/// as y = x·A + B like PyTorch's kernels.
/// </summary>
internal static partial class Normalization
{
    /// <summary>Normalization with statistics taken from x itself (layer and group norm), then the spec's epilogue.</summary>
    public static Tensor NormalizeWithOwnStatistics(Tensor x, NormSpec spec)
    {
        var layout = spec.Layout;
        if (!spec.StatsFromInput) throw new ArgumentException("NormalizeWithOwnStatistics takes its statistics from the input.");
        if (spec.Epilogue.Residual is { } r && !ShapeUtil.SameShape(r.Shape, x.Shape))
            throw new ArgumentException($"Residual {ShapeUtil.Format(r.Shape)} must have the input's shape {ShapeUtil.Format(x.Shape)}.");
        var count = layout.StatCount;
        var buffer = ArrayPool<double>.Shared.Rent(2 * count);
        var mean = buffer.AsSpan(0, count);
        var variance = buffer.AsSpan(count, count);
        Tensor y;
        if (!layout.PerChannel && SplitRows(layout))
        {
            // Row chunks: a row's statistics, then its normalization while the row is still in cache.
            var stats = Tensor.Empty(3, count);
            y = Tensor.Empty(x.Shape);
            RowsJob.StatisticsAndForward(x.Span, spec, mean, variance, stats.Span, y.Span);
            Recorded(x, y, spec, stats);
        }
        else
        {
            Statistics(x.Span, layout, mean, variance);
            y = Normalize(x, spec, mean, variance);
        }
        ArrayPool<double>.Shared.Return(buffer);
        return y;
    }

    private static ReadOnlySpan<float> Span(Tensor? t) => t is null ? default : t.Span;

    /// <summary>A per-channel parameter (affine weight/bias, running statistic) must be a vector of the channel count.</summary>
    public static void CheckChannelParameter(Tensor? p, int channels, string what)
    {
        if (p is not null && (p.Rank != 1 || p.Shape[0] != channels))
            throw new ArgumentException($"{what} has shape {ShapeUtil.Format(p.Shape)}, expected [{channels}].");
    }

    /// <summary>Biased mean and variance of every statistic group of x, in float64.</summary>
    public static void Statistics(ReadOnlySpan<float> x, NormLayout l, Span<double> mean, Span<double> variance)
    {
        var m = l.StatSize;
        if (!l.PerChannel)
        {
            // (Planes big enough to share take RowsJob.StatisticsAndForward instead.)
            for (var s = 0; s < l.StatCount; s++) GroupStatistics(x, l, s, mean, variance);
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

    /// <summary>Mean and variance of statistic group s of a group layout (a contiguous run of x).</summary>
    private static void GroupStatistics(ReadOnlySpan<float> x, NormLayout l, int s, Span<double> mean, Span<double> variance)
    {
        var m = l.StatSize;
        var span = x.Slice(s * m, m);
        var k = m == 0 ? 0f : span[0];
        var (s1, s2) = ShiftedMoments(span, k, span, k);
        Finish(k, s1, s2, m, out mean[s], out variance[s]);
    }

    /// <summary>
    /// Whether rows go to <see cref="ParallelChunks"/>: planes (S &gt; 1, convolution activations) big enough to share,
    /// never the [N, features] rows of layer norm and batch norm 1d.
    /// </summary>
    private static bool SplitRows(NormLayout l) => l.S > 1 && (long)l.N * l.C * l.S >= 2 * SimdMap.ChunkLength && ParallelChunks.TwoCores;

    private static void Finish(float k, double s1, double s2, int m, out double mean, out double variance)
    {
        var d = s1 / m;
        mean = k + d;
        variance = Math.Max(s2 / m - d * d, 0.0);
    }

    /// <summary>
    /// Normalizes x with the given statistics and records the backward. Statistics of the input (layer/group norm,
    /// batch norm in training) pass the gradient through them; fixed ones are constants (batch norm in eval). The
    /// epilogue runs in the same passes: its ReLU masks the incoming gradient row by row just before the backward uses
    /// it (one pass over memory less each way than a separate ReLU, bit for bit the same results), and its residual
    /// receives that masked gradient after the norm's backward has read it (a ResNet block's join: no addition pass, no copy).
    /// </summary>
    public static Tensor Normalize(Tensor x, NormSpec spec, ReadOnlySpan<double> mean, ReadOnlySpan<double> variance)
    {
        var l = spec.Layout;
        if (!spec.StatsFromInput && !l.PerChannel) throw new ArgumentException("Fixed statistics are per channel (batch norm in eval).");
        var count = l.StatCount;
        var stats = Tensor.Empty(3, count);
        for (var s = 0; s < count; s++) SaveStatistic(stats.Span, count, s, mean[s], variance[s], spec.Eps);
        var y = Tensor.Empty(x.Shape);
        Forward(x.Span, spec, stats, y.Span);
        Recorded(x, y, spec, stats);
        return y;
    }

    /// <summary>Saved rows of statistic s: mean, rstd and shift = −mean·rstd (so that x̂ = x·rstd + shift).</summary>
    private static void SaveStatistic(Span<float> stats, int count, int s, double mean, double variance, float eps)
    {
        var rstd = 1.0 / Math.Sqrt(variance + eps);
        stats[s] = (float)mean;
        stats[count + s] = (float)rstd;
        stats[2 * count + s] = (float)(-mean * rstd);
    }

    /// <summary>Records y's backward when anything it was computed from needs a gradient.</summary>
    private static void Recorded(Tensor x, Tensor y, NormSpec spec, Tensor stats)
    {
        var (weight, bias, residual) = (spec.Weight, spec.Bias, spec.Epilogue.Residual);
        if (!GradMode.Enabled || !(x.RequiresGrad || weight is { RequiresGrad: true } || bias is { RequiresGrad: true } ||
                                   residual is { RequiresGrad: true })) return;
        Tensor[] inputs = [x, .. Present(weight), .. Present(bias), .. Present(residual)];
        Autograd.Record(y, inputs, g => Backward(x, g, spec, stats, spec.Epilogue.Relu ? y : null));
    }

    private static Tensor[] Present(Tensor? t) => t is null ? [] : [t];

    private static void Forward(ReadOnlySpan<float> x, NormSpec spec, Tensor stats, Span<float> y)
    {
        var (l, weight, bias) = (spec.Layout, spec.Weight, spec.Bias);
        var fusion = spec.Epilogue.Kind;
        var residual = Span(spec.Epilogue.Residual);
        var count = l.StatCount;
        ReadOnlySpan<float> rstd = stats.Span.Slice(count, count);
        ReadOnlySpan<float> shift = stats.Span.Slice(2 * count, count);
        var w = weight is null ? default : (ReadOnlySpan<float>)weight.Span;
        var b = bias is null ? default : (ReadOnlySpan<float>)bias.Span;
        float[]? coefficients = null;
        if (l.PerChannel && l.S == 1)
        {
            // Batch norm of [N, C]: one coefficient row serves every row, y = x·A + B with A = rstd·w, B = shift·w + b.
            coefficients = TensorPool.Rent(2 * l.C);
            var a = coefficients.AsSpan(0, l.C);
            var bb = coefficients.AsSpan(l.C, l.C);
            rstd.CopyTo(a);
            shift.CopyTo(bb);
            Affine(a, w, default);
            Affine(bb, w, b);
        }
        var coef = coefficients is null ? default : (ReadOnlySpan<float>)coefficients.AsSpan(0, 2 * l.C);
        if (SplitRows(l)) RowsJob.Forward(x, l, rstd, shift, w, b, fusion, residual, y);
        else for (var n = 0; n < l.N; n++) ForwardRow(x, l, rstd, shift, w, b, coef, fusion, residual, y, n);
        if (coefficients is not null) TensorPool.Return(coefficients);
    }

    /// <summary>
    /// Row n of the forward, then its epilogue (<paramref name="residual"/> is the epilogue's, empty without one);
    /// <paramref name="coefficients"/> is A then B of batch norm of [N, C], else empty.
    /// </summary>
    private static void ForwardRow(ReadOnlySpan<float> x, NormLayout l, ReadOnlySpan<float> rstd, ReadOnlySpan<float> shift, ReadOnlySpan<float> w,
        ReadOnlySpan<float> b, ReadOnlySpan<float> coefficients, NormEpilogue.Fusion fusion, ReadOnlySpan<float> residual, Span<float> y, int n)
    {
        var rowLength = l.C * l.S;
        var xRow = x.Slice(n * rowLength, rowLength);
        var yRow = y.Slice(n * rowLength, rowLength);
        var rRow = residual.IsEmpty ? residual : residual.Slice(n * rowLength, rowLength);
        if (!coefficients.IsEmpty)
            TensorPrimitives.MultiplyAdd(xRow, coefficients[..l.C], coefficients.Slice(l.C, l.C), yRow);
        else if (l.S > 1)
        {
            for (var c = 0; c < l.C; c++)
            {
                var s = l.StatIndex(n, c);
                var wc = w.IsEmpty ? 1f : w[c];
                var kernel = new ScaleShift(rstd[s] * wc, shift[s] * wc + (b.IsEmpty ? 0f : b[c]));
                var xp = xRow.Slice(c * l.S, l.S);
                var yp = yRow.Slice(c * l.S, l.S);
                switch (fusion)
                {
                    case NormEpilogue.Fusion.AddRelu: SimdMap.Map(new ScaleShiftAddRelu(kernel), xp, rRow.Slice(c * l.S, l.S), yp); break;
                    case NormEpilogue.Fusion.Relu: SimdMap.Map(new Ops.Rectified<ScaleShift>(kernel), xp, yp); break;
                    default: SimdMap.Map(kernel, xp, yp); break;
                }
            }
            return;
        }
        else
        {
            // Layer norm: a group is a run of channels with scalar statistics; the affine is a vector op on it.
            var cg = l.ChannelsPerGroup;
            for (var k = 0; k < l.Groups; k++)
            {
                var s = n * l.Groups + k;
                var yk = yRow.Slice(k * cg, cg);
                SimdMap.Map(new ScaleShift(rstd[s], shift[s]), xRow.Slice(k * cg, cg), yk);
                Affine(yk, w.IsEmpty ? w : w.Slice(k * cg, cg), b.IsEmpty ? b : b.Slice(k * cg, cg));
            }
        }
        if (fusion == NormEpilogue.Fusion.AddRelu) SimdMap.Map(new SimdMap.AddKernel(), yRow, rRow, yRow);
        if (fusion != NormEpilogue.Fusion.None) SimdMap.Map(new Ops.ReluForward(), yRow, yRow);
    }

    /// <summary>y = y·w + b, either part absent when empty.</summary>
    private static void Affine(Span<float> y, ReadOnlySpan<float> w, ReadOnlySpan<float> b)
    {
        if (!w.IsEmpty && !b.IsEmpty) TensorPrimitives.MultiplyAdd(y, w, b, y);
        else if (!w.IsEmpty) TensorPrimitives.Multiply(y, w, y);
        else if (!b.IsEmpty) TensorPrimitives.Add(y, b, y);
    }

    /// <summary>
    /// Pass 1 takes, row by row, Σdy (p1) and Σdy·x̂ (p2) per channel: their totals are db and dw, and their w-weighted
    /// sums over a statistic group are Σg and Σg·x̂ of the closed form. Group statistics are complete after their
    /// own row, so that row's dx follows at once; batch statistics need every row first, so dx is a second pass.
    /// dx = dy·α + x·β + γ with α = rstd·w, β = −rstd²·mean(g·x̂), γ = −rstd·mean(g) − mean·β.
    /// </summary>
    private static void Backward(Tensor x, Tensor g, NormSpec spec, Tensor stats, Tensor? reluOutput)
    {
        var (l, weight, bias, statsFromInput, residual) = (spec.Layout, spec.Weight, spec.Bias, spec.StatsFromInput, spec.Epilogue.Residual);
        var wantX = x.RequiresGrad;
        var wantW = weight is { RequiresGrad: true };
        var wantB = bias is { RequiresGrad: true };
        var throughStats = wantX && statsFromInput;
        var count = l.StatCount;
        ReadOnlySpan<float> mean = stats.Span[..count];
        ReadOnlySpan<float> rstd = stats.Span.Slice(count, count);
        ReadOnlySpan<float> shift = stats.Span.Slice(2 * count, count);
        ReadOnlySpan<float> xs = x.Span;
        var gs = g.Span; // this function's own: the ReLU mask is applied to it in place
        ReadOnlySpan<float> ys = reluOutput is null ? default : reluOutput.Span;
        var w = weight is null ? default : (ReadOnlySpan<float>)weight.Span;
        var rowLength = l.C * l.S;
        var m = (double)l.StatSize;

        var scratch = TensorPool.Rent(2 * l.C + 2 * count);
        var p2 = scratch.AsSpan(0, l.C);
        var row = scratch.AsSpan(l.C, l.C);
        var beta = scratch.AsSpan(2 * l.C, count);
        var gamma = scratch.AsSpan(2 * l.C + count, count);
        var sums = ArrayPool<double>.Shared.Rent(2 * l.C);
        var dbSum = sums.AsSpan(0, l.C);
        var dwSum = sums.AsSpan(l.C, l.C);
        dbSum.Clear();
        dwSum.Clear();
        var gx = wantX ? Tensor.Empty(x.Shape) : null;
        var dx = gx is null ? default : gx.Span;

        var rowsMask = !ys.IsEmpty && (wantW || wantB || throughStats) && l.S > 1;
        if (!ys.IsEmpty && !rowsMask) SimdMap.Map(new Ops.ReluBackward(), ys, gs, gs);
        if ((wantW || wantB || throughStats) && l.S > 1)
        {
            // Planes: each row's channel sums (and, for group statistics, its dx) first, rows independent; then the
            // totals in row order, so the result does not depend on who computed which row.
            var partial = TensorPool.Rent(2 * l.N * l.C);
            var rowSums = partial.AsSpan(0, 2 * l.N * l.C);
            var rows = new PlaneRows(l, throughStats && !l.PerChannel, m);
            if (SplitRows(l)) RowsJob.Backward(rows, xs, gs, ys, mean, rstd, w, rowSums, beta, gamma, dx);
            else for (var n = 0; n < l.N; n++) rows.Run(xs, gs, ys, mean, rstd, w, rowSums, beta, gamma, dx, n);
            for (var n = 0; n < l.N; n++)
            {
                if (wantB || l.PerChannel) AddWidened(rowSums.Slice(2 * n * l.C, l.C), dbSum);
                if (wantW || l.PerChannel) AddWidened(rowSums.Slice((2 * n + 1) * l.C, l.C), dwSum);
            }
            TensorPool.Return(partial);
        }
        else if (wantW || wantB || throughStats)
        {
            for (var n = 0; n < l.N; n++)
            {
                var xRow = xs.Slice(n * rowLength, rowLength);
                var gRow = gs.Slice(n * rowLength, rowLength);
                // x̂ of the row, then dy·x̂.
                if (l.PerChannel) TensorPrimitives.MultiplyAdd(xRow, rstd, shift, row);
                else
                    for (var k = 0; k < l.Groups; k++)
                    {
                        var s = n * l.Groups + k;
                        var cg = l.ChannelsPerGroup;
                        SimdMap.Map(new ScaleShift(rstd[s], shift[s]), xRow.Slice(k * cg, cg), row.Slice(k * cg, cg));
                    }
                TensorPrimitives.Multiply(gRow, row, p2);
                if (wantB || l.PerChannel) AddWidened(gRow, dbSum);
                if (wantW || l.PerChannel) AddWidened(p2, dwSum);
                if (!throughStats || l.PerChannel) continue;
                var size = l.ChannelsPerGroup;
                for (var k = 0; k < l.Groups; k++)
                {
                    var s = n * l.Groups + k;
                    var (c0, c1) = (k * size, (k + 1) * size);
                    (beta[s], gamma[s]) = GroupCoefficients(gRow[c0..c1], p2[c0..c1], w.IsEmpty ? w : w[c0..c1], rstd[s], mean[s], m);
                    // dx = (dy·w)·rstd + x·β + γ on the group's run of channels.
                    ReadOnlySpan<float> gk = gRow.Slice(c0, size);
                    if (!w.IsEmpty)
                    {
                        TensorPrimitives.Multiply(gk, w[c0..c1], row.Slice(c0, size));
                        gk = row.Slice(c0, size);
                    }
                    SimdMap.Map(new LinearCombination(rstd[s], beta[s], gamma[s]), gk, xRow.Slice(c0, size), dx.Slice(n * rowLength + c0, size));
                }
            }
        }
        if (wantW) WriteGrad(weight!, dwSum);
        if (wantB) WriteGrad(bias!, dbSum);

        if (wantX && l.PerChannel)
        {
            for (var c = 0; c < l.C; c++)
            {
                var wc = w.IsEmpty ? 1.0 : w[c];
                (beta[c], gamma[c]) = throughStats ? InputGradCoefficients(rstd[c], mean[c], wc * dbSum[c], wc * dwSum[c], m) : (0f, 0f);
            }
            if (l.S == 1)
            {
                // α = rstd·w, one row for all rows.
                rstd.CopyTo(row);
                Affine(row, w, default);
            }
            for (var n = 0; n < l.N; n++)
            {
                var at = n * rowLength;
                var dxRow = dx.Slice(at, rowLength);
                if (l.S > 1) GradPlanes(l, n, 0, l.C, gs.Slice(at, rowLength), xs.Slice(at, rowLength), rstd, beta, gamma, w, dxRow);
                else
                {
                    TensorPrimitives.MultiplyAdd(xs.Slice(at, rowLength), beta, gamma, dxRow);
                    TensorPrimitives.MultiplyAdd(gs.Slice(at, rowLength), row, dxRow, dxRow);
                }
            }
        }
        if (gx is not null) Autograd.AccumulateOwned(x, gx);
        // g is masked throughout by now and read for the last time: the residual takes it as it is.
        if (residual is not null) Autograd.AccumulateOwned(residual, g);
        ArrayPool<double>.Shared.Return(sums);
        TensorPool.Return(scratch);
    }

    /// <summary>
    /// β and γ of one statistic group from its channels' Σdy (q1) and Σdy·x̂ (q2): Σg and Σg·x̂ are their w-weighted sums.
    /// </summary>
    private static (float Beta, float Gamma) GroupCoefficients(ReadOnlySpan<float> q1, ReadOnlySpan<float> q2, ReadOnlySpan<float> w,
        float rstd, float mean, double m)
    {
        var sg = w.IsEmpty ? TensorPrimitives.Sum(q1) : TensorPrimitives.Dot(q1, w);
        var sgx = w.IsEmpty ? TensorPrimitives.Sum(q2) : TensorPrimitives.Dot(q2, w);
        return InputGradCoefficients(rstd, mean, sg, sgx, m);
    }

    /// <summary>β = −rstd²·Σg·x̂/m and γ = −rstd·Σg/m − mean·β of the input gradient, in float64.</summary>
    private static (float Beta, float Gamma) InputGradCoefficients(double rstd, double mean, double sg, double sgx, double m)
    {
        var beta = -rstd * rstd * sgx / m;
        return ((float)beta, (float)(-rstd * sg / m - mean * beta));
    }

    /// <summary>dx = dy·rstd·w_c + x·β + γ on the planes of channels [c0, c1) of row n (S &gt; 1).</summary>
    private static void GradPlanes(NormLayout l, int n, int c0, int c1, ReadOnlySpan<float> gRow, ReadOnlySpan<float> xRow, ReadOnlySpan<float> rstd,
        ReadOnlySpan<float> beta, ReadOnlySpan<float> gamma, ReadOnlySpan<float> w, Span<float> dxRow)
    {
        for (var c = c0; c < c1; c++)
        {
            var s = l.StatIndex(n, c);
            var kernel = new LinearCombination(rstd[s] * (w.IsEmpty ? 1f : w[c]), beta[s], gamma[s]);
            SimdMap.Map(kernel, gRow.Slice(c * l.S, l.S), xRow.Slice(c * l.S, l.S), dxRow.Slice(c * l.S, l.S));
        }
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

    /// <summary>x·a + b.</summary>
    private readonly struct ScaleShift(float a, float b) : IUnaryKernel
    {
        public T Invoke<T>(T x) where T : struct, IFloatVector<T> => T.MultiplyAdd(x, T.Create(a), T.Create(b));
    }

    /// <summary>relu(x·a + b + r), rounded step by step as the separate norm, addition and ReLU.</summary>
    private readonly struct ScaleShiftAddRelu(ScaleShift affine) : IBinaryKernel
    {
        public T Invoke<T>(T x, T r) where T : struct, IFloatVector<T> => new Ops.ReluForward().Invoke(affine.Invoke(x) + r);
    }

    /// <summary>u·a + v·b + c.</summary>
    private readonly struct LinearCombination(float a, float b, float c) : IBinaryKernel
    {
        public T Invoke<T>(T u, T v) where T : struct, IFloatVector<T> => T.MultiplyAdd(u, T.Create(a), T.MultiplyAdd(v, T.Create(b), T.Create(c)));
    }

    /// <summary>
    /// (Σ(a − sa), Σ(a − sa)·(b − sb)): differences and products in float32, sums in float64. Four vectors' worth of
    /// terms are added in float32 before each widening (the conversion is the bottleneck), so the rounding error stays
    /// that of a few float32 additions whatever the length.
    /// </summary>
    internal static (double Sum, double Dot) ShiftedMoments(ReadOnlySpan<float> a, float sa, ReadOnlySpan<float> b, float sb)
    {
        if (a.Length != b.Length) throw new ArgumentException("Spans must have equal lengths.");
        var i = 0;
        double s1 = 0, s2 = 0;
        var w = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated && KernelPaths.Use256 && a.Length >= w)
        {
            ref var ar = ref MemoryMarshal.GetReference(a);
            ref var br = ref MemoryMarshal.GetReference(b);
            var va = new Vector<float>(sa);
            var vb = new Vector<float>(sb);
            Vector<double> acc1 = default, acc2 = default;
            for (; i <= a.Length - 4 * w; i += 4 * w)
            {
                var (d0, p0) = Terms(ref ar, ref br, i, va, vb);
                var (d1, p1) = Terms(ref ar, ref br, i + w, va, vb);
                var (d2, p2) = Terms(ref ar, ref br, i + 2 * w, va, vb);
                var (d3, p3) = Terms(ref ar, ref br, i + 3 * w, va, vb);
                AddWidened(d0 + d1 + (d2 + d3), ref acc1);
                AddWidened(p0 + p1 + (p2 + p3), ref acc2);
            }
            for (; i <= a.Length - w; i += w)
            {
                var (d, p) = Terms(ref ar, ref br, i, va, vb);
                AddWidened(d, ref acc1);
                AddWidened(p, ref acc2);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector<float> D, Vector<float> P) Terms(ref float a, ref float b, int i, Vector<float> sa, Vector<float> sb)
    {
        var d = Vector.LoadUnsafe(ref a, (nuint)i) - sa;
        return (d, d * (Vector.LoadUnsafe(ref b, (nuint)i) - sb));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddWidened(Vector<float> v, ref Vector<double> acc)
    {
        Vector.Widen(v, out var lo, out var hi);
        acc += lo + hi;
    }

    /// <summary>acc[i] += v[i] in float64.</summary>
    internal static void AddWidened(ReadOnlySpan<float> v, Span<double> acc)
    {
        if (acc.Length < v.Length) throw new ArgumentException("Accumulator too short.");
        var i = 0;
        var w = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated && KernelPaths.Use256)
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
