using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AsymNet.Tensors.Gemm;

namespace AsymNet.Tensors.Ops;

/// <summary>
/// Sizes of a grouped 2-D convolution over NCHW with zero padding. Conv1d is the case InH = KernelH = 1.
/// Per group, an image is lowered to a column matrix [K, P] (K = channels per group · kH · kW, P = OutH · OutW).
/// </summary>
internal readonly record struct ConvGeometry(
    int Batch, int InChannels, int InH, int InW, int OutChannels, int Groups,
    int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW)
{
    public int OutH => (InH + 2 * PadH - KernelH) / StrideH + 1;
    public int OutW => (InW + 2 * PadW - KernelW) / StrideW + 1;
    public int GroupInChannels => InChannels / Groups;
    public int GroupOutChannels => OutChannels / Groups;
    public int ColumnRows => GroupInChannels * KernelH * KernelW;
    public int OutPlane => OutH * OutW;
    public int InPlane => InH * InW;

    /// <summary>1×1 kernel, stride 1, no padding: the image itself is the column matrix, no lowering needed.</summary>
    public bool IsPointwise => KernelH == 1 && KernelW == 1 && StrideH == 1 && StrideW == 1 && PadH == 0 && PadW == 0;

    /// <summary>Throws, naming the shapes, unless the sizes describe a valid convolution.</summary>
    public void Validate(string op, Tensor x, Tensor weight, Tensor? bias)
    {
        if (Groups < 1 || StrideH < 1 || StrideW < 1 || PadH < 0 || PadW < 0)
            throw Invalid(op, x, weight, "groups and stride must be ≥ 1 and padding ≥ 0");
        if (InChannels % Groups != 0 || OutChannels % Groups != 0)
            throw Invalid(op, x, weight, $"channels in ({InChannels}) and out ({OutChannels}) must be divisible by groups");
        if (weight.Shape[1] != GroupInChannels)
            throw Invalid(op, x, weight, $"weight needs {GroupInChannels} input channels per group");
        if (KernelH < 1 || KernelW < 1 || InH + 2 * PadH < KernelH || InW + 2 * PadW < KernelW)
            throw Invalid(op, x, weight, "the kernel is larger than the padded input");
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != OutChannels))
            throw Invalid(op, x, weight, $"bias {ShapeUtil.Format(bias.Shape)} must be [{OutChannels}]");
    }

    private ArgumentException Invalid(string op, Tensor x, Tensor weight, string reason) =>
        new($"{op}: input {ShapeUtil.Format(x.Shape)}, weight {ShapeUtil.Format(weight.Shape)}, stride {StrideW}, " +
            $"padding {PadW}, groups {Groups}: {reason}.");
}

public static partial class Ops
{
    /// <summary>
    /// Grouped convolution by lowering (im2col) and GEMM through <see cref="Blas.Current"/>, one image and group at a
    /// time so the column buffer stays K·P floats; Conv2d and Conv1d share it. 3×3 convolutions (the ResNet body and its
    /// stride-2 layers) take <see cref="DirectConv3x3"/> instead, in every direction it supports. Backward
    /// re-lowers the input for the weight gradient instead of keeping every image's columns (about kH·kW times the
    /// input's memory per layer).
    /// </summary>
    private static Tensor Convolve(Tensor x, Tensor weight, Tensor? bias, ConvGeometry geo, int[] yShape)
    {
        var y = Tensor.Empty(yShape);
        if (DirectConv3x3.SupportsForward(geo)) DirectConv3x3.Forward(x.Span, weight.Span, bias is null ? default : bias.Span, geo, y.Span);
        else LoweredForward(x, weight, bias, geo, y);

        if (Autograd.NeedsGrad(x, weight, bias))
            Autograd.Record(y, bias is null ? [x, weight] : [x, weight, bias], g =>
            {
                if (x.RequiresGrad) ConvolveBackwardInput(g, weight, x, geo);
                if (weight.RequiresGrad)
                    AccumulateGemm(weight, (target, beta) =>
                    {
                        if (DirectConv3x3.SupportsWeightGradient(geo)) DirectConv3x3.WeightGradient(g.Span, x.Span, geo, target, beta);
                        else ConvolveBackwardWeight(g, x, weight, geo, target, beta);
                    });
                if (bias is not null && bias.RequiresGrad)
                    AccumulateGemm(bias, (target, beta) =>
                    {
                        if (beta == 0f) target.Clear();
                        var gs = g.Span;
                        var p = geo.OutPlane;
                        for (var n = 0; n < geo.Batch; n++)
                        for (var o = 0; o < geo.OutChannels; o++)
                            target[o] += TensorPrimitives.Sum(gs.Slice((n * geo.OutChannels + o) * p, p));
                    });
            });
        return y;
    }

    /// <summary>The forward by lowering: per image and group, y_g = W_g·col(x_g) (+ bias); images are parallel chunks.</summary>
    private static void LoweredForward(Tensor x, Tensor weight, Tensor? bias, ConvGeometry geo, Tensor y) =>
        LoweredJob.Run(LoweredJob.Kind.Forward, geo, x, weight, bias, y, null, default, 0f);

    /// <summary>dx: per image and group, dcol = W_gᵀ·dy_g [K, P], folded back onto the input (col2im).</summary>
    private static void ConvolveBackwardInput(Tensor g, Tensor weight, Tensor x, ConvGeometry geo)
    {
        var direct = DirectConv3x3.SupportsInputGradient(geo);
        if (direct && Autograd.GradToAddInto(x) is { } existing)
        {
            // x already has a gradient (a ResNet block's shortcut gave it): add into it as the tiles store, no pass to add.
            DirectConv3x3.InputGradient(g.Span, weight.Span, geo, existing.Span, accumulate: true);
            return;
        }
        var gx = Tensor.Empty(x.Shape);
        if (direct) DirectConv3x3.InputGradient(g.Span, weight.Span, geo, gx.Span, accumulate: false);
        else LoweredJob.Run(LoweredJob.Kind.InputGradient, geo, x, weight, null, gx, g, default, 0f);
        Autograd.AccumulateOwned(x, gx);
    }

    /// <summary>dW_g (+)= Σ_n dy_g·col_gᵀ, the columns lowered again image by image.</summary>
    private static void ConvolveBackwardWeight(Tensor g, Tensor x, Tensor weight, ConvGeometry geo, Span<float> target, float beta) =>
        LoweredJob.Run(LoweredJob.Kind.WeightGradient, geo, x, weight, null, null, g, target, beta);

    /// <summary>
    /// The lowered (im2col + GEMM) convolution as <see cref="ParallelChunks"/> work: one chunk per image for the forward
    /// and the input gradient (disjoint outputs, a column buffer per thread); for the weight gradient up to four fixed
    /// groups of images, each summing into its own buffer, added in group order, so results do not depend on the
    /// number of threads. Instances are reused per calling thread.
    /// </summary>
    private sealed class LoweredJob : IChunkJob
    {
        public enum Kind { Forward, InputGradient, WeightGradient }

        [ThreadStatic] private static LoweredJob? _cached;

        private Kind _kind;
        private ConvGeometry _geo;
        private Tensor? _x, _weight, _bias, _out, _g;
        private float[] _cols = [], _partials = [];

        public static void Run(Kind kind, ConvGeometry geo, Tensor x, Tensor weight, Tensor? bias, Tensor? output, Tensor? g,
            Span<float> target, float beta)
        {
            var job = _cached ??= new LoweredJob();
            var (og, k, p) = (geo.GroupOutChannels, geo.ColumnRows, geo.OutPlane);
            (job._kind, job._geo, job._x, job._weight, job._bias, job._out, job._g) = (kind, geo, x, weight, bias, output, g);
            job._cols = geo.IsPointwise ? [] : TensorPool.Rent(2 * k * p);
            var groups = Math.Clamp(geo.Batch, 1, 4);
            var weightLength = geo.OutChannels * k;
            try
            {
                if (kind != Kind.WeightGradient)
                {
                    ParallelChunks.Run(job, geo.Batch);
                    return;
                }
                job._partials = TensorPool.Rent(groups * weightLength);
                ParallelChunks.Run(job, geo.Batch == 0 ? 0 : groups);
                if (beta == 0f) target.Clear();
                for (var grp = 0; grp < (geo.Batch == 0 ? 0 : groups); grp++)
                    System.Numerics.Tensors.TensorPrimitives.Add(target, job._partials.AsSpan(grp * weightLength, weightLength), target);
            }
            finally
            {
                TensorPool.Return(job._cols);
                TensorPool.Return(job._partials);
                (job._cols, job._partials) = ([], []);
                (job._x, job._weight, job._bias, job._out, job._g) = (null, null, null, null, null);
            }
        }

        public void RunChunk(int chunk, int participant)
        {
            var geo = _geo;
            var (og, k, p) = (geo.GroupOutChannels, geo.ColumnRows, geo.OutPlane);
            var col = geo.IsPointwise ? Span<float>.Empty : _cols.AsSpan(participant * k * p, k * p);
            if (_kind == Kind.WeightGradient)
            {
                var groups = Math.Clamp(geo.Batch, 1, 4);
                var part = _partials.AsSpan(chunk * geo.OutChannels * k, geo.OutChannels * k);
                for (var n = geo.Batch * chunk / groups; n < geo.Batch * (chunk + 1) / groups; n++)
                    WeightGradientImage(n, n == geo.Batch * chunk / groups, col, part);
                return;
            }
            var n0 = chunk;
            var xGroup = geo.GroupInChannels * geo.InPlane;
            var ws = _weight!.Span;
            for (var grp = 0; grp < geo.Groups; grp++)
            {
                var wg = ws.Slice(grp * og * k, og * k);
                var xRange = ((n0 * geo.Groups + grp) * xGroup, xGroup);
                var yRange = ((n0 * geo.Groups + grp) * og * p, og * p);
                if (_kind == Kind.Forward)
                {
                    var yg = _out!.Span.Slice(yRange.Item1, yRange.Item2);
                    var beta = 0f;
                    if (_bias is not null)
                    {
                        for (var o = 0; o < og; o++) yg.Slice(o * p, p).Fill(_bias.Span[grp * og + o]);
                        beta = 1f;
                    }
                    var xg = _x!.Span.Slice(xRange.Item1, xRange.Item2);
                    ReadOnlySpan<float> columns = xg;
                    if (!geo.IsPointwise)
                    {
                        Im2Col(xg, geo, col);
                        columns = col;
                    }
                    Blas.Current.Sgemm(false, false, og, p, k, 1f, wg, k, columns, p, beta, yg, p);
                }
                else
                {
                    var gyg = _g!.Span.Slice(yRange.Item1, yRange.Item2);
                    var gxg = _out!.Span.Slice(xRange.Item1, xRange.Item2);
                    if (geo.IsPointwise)
                    {
                        Blas.Current.Sgemm(true, false, k, p, og, 1f, wg, k, gyg, p, 0f, gxg, p);
                        continue;
                    }
                    Blas.Current.Sgemm(true, false, k, p, og, 1f, wg, k, gyg, p, 0f, col, p);
                    // Col2im adds; clearing image by image keeps the slice in cache for the adds that follow.
                    gxg.Clear();
                    Col2Im(col, geo, gxg);
                }
            }
        }

        private void WeightGradientImage(int n, bool first, Span<float> col, Span<float> part)
        {
            var geo = _geo;
            var (og, k, p) = (geo.GroupOutChannels, geo.ColumnRows, geo.OutPlane);
            var xGroup = geo.GroupInChannels * geo.InPlane;
            for (var grp = 0; grp < geo.Groups; grp++)
            {
                var xg = _x!.Span.Slice((n * geo.Groups + grp) * xGroup, xGroup);
                ReadOnlySpan<float> columns = xg;
                if (!geo.IsPointwise)
                {
                    Im2Col(xg, geo, col);
                    columns = col;
                }
                var gyg = _g!.Span.Slice((n * geo.Groups + grp) * og * p, og * p);
                Blas.Current.Sgemm(false, true, og, k, p, 1f, gyg, p, columns, p, first ? 0f : 1f, part.Slice(grp * og * k, og * k), k);
            }
        }
    }

    /// <summary>
    /// Column row r = (c·kH + i)·kW + j holds, at output position (oh, ow), the input x[c, oh·sH − pH + i, ow·sW − pW + j]
    /// or 0 in the padding.
    /// </summary>
    internal static void Im2Col(ReadOnlySpan<float> x, in ConvGeometry geo, Span<float> col) =>
        WalkColumns<LowerToColumns>(ref MemoryMarshal.GetReference(x), x.Length, geo, ref MemoryMarshal.GetReference(col), col.Length);

    /// <summary>
    /// The adjoint of <see cref="Im2Col"/>: adds every column entry onto the input position it came from; entries
    /// that fall in the padding are dropped. May overwrite those padding entries of <paramref name="col"/> with zeros.
    /// </summary>
    internal static void Col2Im(Span<float> col, in ConvGeometry geo, Span<float> x) =>
        WalkColumns<FoldFromColumns>(ref MemoryMarshal.GetReference(x), x.Length, geo, ref MemoryMarshal.GetReference(col), col.Length);

    /// <summary>Moves values between an input image (one group's channels) and its column matrix.</summary>
    private interface IColumnMove
    {
        /// <summary>True for the gather (input → columns), which must write zeros at padding positions.</summary>
        static abstract bool IsGather { get; }
        /// <summary>A contiguous run of n values: input ↔ column.</summary>
        static abstract void Run(ref float input, ref float column, int n);
        /// <summary>n values one column apart, stride apart in the input row.</summary>
        static abstract void Strided(ref float input, int stride, ref float column, int n);
        /// <summary>
        /// <paramref name="rows"/> stride-2 runs of n, rows inputRowStride / columnRowStride apart, with vectors; may touch
        /// (never change) input[2n − 1] of each row, so 2n inputs must exist there.
        /// </summary>
        static abstract void Stride2(ref float input, int inputRowStride, ref float column, int columnRowStride, int n, int rows);
    }

    private readonly struct LowerToColumns : IColumnMove
    {
        public static bool IsGather => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Run(ref float input, ref float column, int n) =>
            MemoryMarshal.CreateReadOnlySpan(ref input, n).CopyTo(MemoryMarshal.CreateSpan(ref column, n));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Strided(ref float input, int stride, ref float column, int n)
        {
            for (var i = 0; i < n; i++) Unsafe.Add(ref column, i) = Unsafe.Add(ref input, i * stride);
        }

        public static void Stride2(ref float input, int inputRowStride, ref float column, int columnRowStride, int n, int rows)
        {
            var vectors = Vector256.IsHardwareAccelerated && KernelPaths.Use256 ? n / 8 * 8 : 0;
            // The even lanes of two loads, packed: 16 inputs → 8 columns. Constant shuffle indices at the call site
            // let the JIT emit one permute each.
            var low = Vector256.Create(-1, -1, -1, -1, 0, 0, 0, 0).AsSingle();
            for (var r = 0; r < rows; r++)
            {
                ref var from = ref Unsafe.Add(ref input, r * inputRowStride);
                ref var to = ref Unsafe.Add(ref column, r * columnRowStride);
                for (var i = 0; i < vectors; i += 8)
                {
                    var a = Vector256.Shuffle(Vector256.LoadUnsafe(ref from, (nuint)(2 * i)), Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6));
                    var b = Vector256.Shuffle(Vector256.LoadUnsafe(ref from, (nuint)(2 * i + 8)), Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6));
                    Vector256.ConditionalSelect(low, a, b).StoreUnsafe(ref to, (nuint)i);
                }
                for (var i = vectors; i < n; i++) Unsafe.Add(ref to, i) = Unsafe.Add(ref from, 2 * i);
            }
        }
    }

    private readonly struct FoldFromColumns : IColumnMove
    {
        public static bool IsGather => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Run(ref float input, ref float column, int n)
        {
            var dst = MemoryMarshal.CreateSpan(ref input, n);
            TensorPrimitives.Add(dst, MemoryMarshal.CreateReadOnlySpan(ref column, n), dst);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Strided(ref float input, int stride, ref float column, int n)
        {
            for (var i = 0; i < n; i++) Unsafe.Add(ref input, i * stride) += Unsafe.Add(ref column, i);
        }

        public static void Stride2(ref float input, int inputRowStride, ref float column, int columnRowStride, int n, int rows)
        {
            var vectors = Vector256.IsHardwareAccelerated && KernelPaths.Use256 ? n / 8 * 8 : 0;
            for (var r = 0; r < rows; r++)
            {
                ref var to = ref Unsafe.Add(ref input, r * inputRowStride);
                ref var from = ref Unsafe.Add(ref column, r * columnRowStride);
                // 8 columns spread to the even lanes of 16 inputs; the odd lanes get + 0 (index 8 selects zero).
                for (var i = 0; i < vectors; i += 8)
                {
                    var c = Vector256.LoadUnsafe(ref from, (nuint)i);
                    ref var at = ref Unsafe.Add(ref to, 2 * i);
                    (Vector256.LoadUnsafe(ref at) + Vector256.Shuffle(c, Vector256.Create(0, 8, 1, 8, 2, 8, 3, 8))).StoreUnsafe(ref at);
                    (Vector256.LoadUnsafe(ref at, 8) + Vector256.Shuffle(c, Vector256.Create(4, 8, 5, 8, 6, 8, 7, 8))).StoreUnsafe(ref at, 8);
                }
                for (var i = vectors; i < n; i++) Unsafe.Add(ref to, 2 * i) += Unsafe.Add(ref from, i);
            }
        }
    }

    /// <summary>
    /// The one traversal behind im2col and col2im. For each column row (channel, tap) the output rows [rowLo, rowHi)
    /// and columns [colLo, colHi) that read inside the input are computed once, so the inner loops carry no padding
    /// tests and no bounds checks (the span lengths are checked up front).
    /// With stride 1 and as many output as input columns (the "same" convolutions of a ResNet), consecutive output
    /// rows read consecutive input rows, so a whole column row is one contiguous block move; the few entries that the
    /// block wraps across row ends are the padding columns, zeroed after a gather and before a fold (which is why
    /// Col2Im may overwrite them). Other stride-1 rows move as row blocks, stride-2 rows (the downsampling
    /// convolutions) with vector shuffles where the image extends far enough past the row.
    /// </summary>
    private static void WalkColumns<TMove>(ref float x, int xLength, in ConvGeometry geo, ref float col, int colLength) where TMove : IColumnMove
    {
        var (h, w, oh, ow) = (geo.InH, geo.InW, geo.OutH, geo.OutW);
        var (sh, sw, ph, pw) = (geo.StrideH, geo.StrideW, geo.PadH, geo.PadW);
        var p = oh * ow;
        if (colLength != geo.ColumnRows * p || xLength != geo.GroupInChannels * h * w)
            throw new ArgumentException("Image or column buffer does not match the convolution.");
        var (kh, kw) = (geo.KernelH, geo.KernelW);
        // Per kernel row i, the output rows [lo, hi) whose input row r·sh − ph + i lies inside [0, h); per kernel
        // column likewise. Computed once per image: the divisions would otherwise dominate small planes.
        Span<int> rowRange = kh <= 64 ? stackalloc int[2 * kh] : new int[2 * kh];
        Span<int> colRange = kw <= 64 ? stackalloc int[2 * kw] : new int[2 * kw];
        for (var i = 0; i < kh; i++)
        {
            rowRange[2 * i] = Math.Min(oh, CeilDiv(ph - i, sh));
            rowRange[2 * i + 1] = Math.Max(rowRange[2 * i], Math.Min(oh, FloorDiv(h - 1 + ph - i, sh) + 1));
        }
        for (var j = 0; j < kw; j++)
        {
            colRange[2 * j] = Math.Min(ow, CeilDiv(pw - j, sw));
            colRange[2 * j + 1] = Math.Max(colRange[2 * j], Math.Min(ow, FloorDiv(w - 1 + pw - j, sw) + 1));
        }
        var block = sh == 1 && sw == 1 && ow == w;
        for (var c = 0; c < geo.GroupInChannels; c++)
        for (var i = 0; i < kh; i++)
        {
            var (rowLo, rowHi) = (rowRange[2 * i], rowRange[2 * i + 1]);
            for (var j = 0; j < kw; j++)
            {
                ref var dst = ref Unsafe.Add(ref col, ((c * kh + i) * kw + j) * p);
                var (colLo, colHi) = (colRange[2 * j], colRange[2 * j + 1]);
                var run = colHi - colLo;
                if (run == 0 || rowLo == rowHi)
                {
                    // The tap reads only padding at every output position.
                    if (TMove.IsGather) MemoryMarshal.CreateSpan(ref dst, p).Clear();
                    continue;
                }
                if (TMove.IsGather)
                {
                    MemoryMarshal.CreateSpan(ref dst, rowLo * ow).Clear();
                    MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dst, rowHi * ow), (oh - rowHi) * ow).Clear();
                }
                var at = c * h * w + (rowLo * sh - ph + i) * w + colLo * sw - pw + j;
                if (block)
                {
                    if (!TMove.IsGather) ZeroEdgeColumns(ref dst, rowLo, rowHi, ow, colLo, colHi);
                    TMove.Run(ref Unsafe.Add(ref x, at), ref Unsafe.Add(ref dst, rowLo * ow + colLo), (rowHi - 1 - rowLo) * ow + run);
                    if (TMove.IsGather) ZeroEdgeColumns(ref dst, rowLo, rowHi, ow, colLo, colHi);
                    continue;
                }
                if (TMove.IsGather) ZeroEdgeColumns(ref dst, rowLo, rowHi, ow, colLo, colHi);
                var rows = rowHi - rowLo;
                if (sw == 2)
                {
                    // Vectors read 2·run inputs per row; only the image's last row can lack the one past the run.
                    var last = at + (rows - 1) * sh * w;
                    var vectorRows = xLength - last >= 2 * run ? rows : rows - 1;
                    TMove.Stride2(ref Unsafe.Add(ref x, at), sh * w, ref Unsafe.Add(ref dst, rowLo * ow + colLo), ow, run, vectorRows);
                    if (vectorRows < rows) TMove.Strided(ref Unsafe.Add(ref x, last), 2, ref Unsafe.Add(ref dst, (rowHi - 1) * ow + colLo), run);
                    continue;
                }
                for (var r = rowLo; r < rowHi; r++, at += sh * w)
                {
                    ref var from = ref Unsafe.Add(ref x, at);
                    ref var to = ref Unsafe.Add(ref dst, r * ow + colLo);
                    if (sw == 1) TMove.Run(ref from, ref to, run);
                    else TMove.Strided(ref from, sw, ref to, run);
                }
            }
        }
    }

    /// <summary>Zeros columns [0, colLo) and [colHi, ow) of rows [rowLo, rowHi) of one column row (a few per row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ZeroEdgeColumns(ref float dst, int rowLo, int rowHi, int ow, int colLo, int colHi)
    {
        if (colLo == 0 && colHi == ow) return;
        for (var r = rowLo; r < rowHi; r++)
        {
            ref var row = ref Unsafe.Add(ref dst, r * ow);
            for (var q = 0; q < colLo; q++) Unsafe.Add(ref row, q) = 0f;
            for (var q = colHi; q < ow; q++) Unsafe.Add(ref row, q) = 0f;
        }
    }

    /// <summary>⌈a / b⌉ clamped below at 0, for b &gt; 0.</summary>
    private static int CeilDiv(int a, int b) => a <= 0 ? 0 : (a + b - 1) / b;

    /// <summary>⌊a / b⌋ for b &gt; 0 and any sign of a.</summary>
    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
