using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AsymNet.Tensors.Ops;

/// <summary>
/// The weight gradient of the direct 3×3 convolution, dW[o, c, tap] = Σ over images and positions of dy[o, p]·x[c, p
/// shifted by the tap], vectorised over 16 output channels: each image's output gradient is transposed to [position][out
/// channel] and its input copied once into zero-padded planes, so that a register tile of 2 × 16 output channels × 9
/// taps takes two vector loads and nine broadcast input values per position, and its sums stay in registers over a whole
/// image. Any stride works the same way (the stride-2 convolutions of a ResNet): output position (r, q) reads the padded
/// input from (s·r, s·q) on. (Summing along positions in vector lanes instead, as before, cost 11 vector loads per 18 multiply-adds and
/// per-lane sums of C_out·C_in·9·16 floats per group, 2.4 MB at 64 channels.)
/// Images are cut into fixed groups, each summing into its own [C_in][9][C_out] partial; the partials are added in group
/// order, so results do not depend on the number of threads.
/// </summary>
internal static unsafe partial class DirectConv3x3
{
    /// <summary>Weight-gradient groups: contiguous image ranges with their own partial sums, added in group order.</summary>
    private const int WeightGroups = 8;

    /// <summary>Shapes the weight gradient handles: padding 1, any plane size and stride, output channels in whole vectors.</summary>
    public static bool SupportsWeightGradient(in ConvGeometry g) =>
        Vector512.IsHardwareAccelerated && KernelPaths.DirectConvolution && g.Groups == 1 && g.KernelH == 3 && g.KernelW == 3 && g.StrideH == g.StrideW &&
        g.PadH == 1 && g.PadW == 1 && g.InH > 0 && g.InW > 0 && g.OutChannels % Lanes == 0;

    [ThreadStatic] private static WeightGradientJob? _weightJob;

    /// <summary>Input channels rounded up to even: an odd count gets a zero plane, whose sums are dropped.</summary>
    private static int EvenChannels(in ConvGeometry g) => (g.InChannels + 1) & ~1;

    /// <summary>target = Σ over the batch of dy ⋆ x (beta 0), or target += that (beta 1).</summary>
    public static void WeightGradient(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, in ConvGeometry g, Span<float> target, float beta)
    {
        var cout = g.OutChannels;
        // At least one group: with no images it only clears its partial, so the gradient comes out zero.
        var groups = Math.Clamp(g.Batch, 1, WeightGroups);
        var partialLength = EvenChannels(g) * 9 * cout;
        var partials = TensorPool.Rent(groups * partialLength + AlignSlack);
        var scratch = TensorPool.Rent(2 * WeightGradientJob.ScratchLength(g) + AlignSlack);
        fixed (float* pdy = dy)
        fixed (float* px = x)
        fixed (float* ps = scratch)
        fixed (float* pp = partials)
        fixed (float* pt = target)
        {
            var sums = Aligned(pp);
            var job = _weightJob ??= new WeightGradientJob();
            job.Set(g, px, pdy, Aligned(ps), sums, groups, pt, beta);
            ParallelChunks.Run(job, groups);
            // Then, one chunk per vector of output channels, the partials in group order into target's [o][c][tap].
            job.Reducing = true;
            ParallelChunks.Run(job, cout / Lanes);
        }
        TensorPool.Return(scratch);
        TensorPool.Return(partials);
    }

    /// <summary>One call's work, reused per calling thread (no allocation per call).</summary>
    private sealed class WeightGradientJob : IChunkJob
    {
        private ConvGeometry _g;
        private float* _x, _dy, _scratch, _sums, _target;
        private int _groups;
        private float _beta;

        /// <summary>Chunks are vectors of output channels whose partials are added into the target, not image groups.</summary>
        public bool Reducing { get; set; }

        /// <summary>Floats of one participant's scratch: the padded planes of one image, then its transposed gradient.</summary>
        public static int ScratchLength(in ConvGeometry g) => PaddedLength(g, EvenChannels(g)) + g.OutPlane * g.OutChannels;

        public void Set(in ConvGeometry g, float* x, float* dy, float* scratch, float* sums, int groups, float* target, float beta)
        {
            _g = g;
            _target = target;
            _beta = beta;
            Reducing = false;
            _x = x;
            _dy = dy;
            _scratch = scratch;
            _sums = sums;
            _groups = groups;
        }

        public void RunChunk(int chunk, int participant)
        {
            if (Reducing) Reduce(chunk);
            else Accumulate(chunk, participant);
        }

        /// <summary>
        /// target[o][c][tap] (+)= Σ over groups, in group order, of partial[group][c][tap][o] for the 16 output channels
        /// of vector <paramref name="ob"/>: each chunk writes its own rows of the target (no line is shared between cores).
        /// </summary>
        private void Reduce(int ob)
        {
            var (cin, cout) = (_g.InChannels, _g.OutChannels);
            var partialLength = EvenChannels(_g) * 9 * cout;
            var o0 = ob * Lanes;
            for (var c = 0; c < cin; c++)
            for (var t = 0; t < 9; t++)
            {
                var at = _sums + (c * 9 + t) * cout + o0;
                var v = Vector512.Load(at);
                for (var p = 1; p < _groups; p++) v += Vector512.Load(at + (long)p * partialLength);
                for (var k = 0; k < Lanes; k++)
                {
                    ref var dst = ref _target[((o0 + k) * cin + c) * 9 + t];
                    dst = _beta == 0f ? v.GetElement(k) : dst + v.GetElement(k);
                }
            }
        }

        private void Accumulate(int group, int participant)
        {
            var g = _g;
            var (cin, cout, h, w) = (g.InChannels, g.OutChannels, g.InH, g.InW);
            var (outH, outW, stride) = (g.OutH, g.OutW, g.StrideW);
            var padded = _scratch + (long)participant * ScratchLength(g);
            var evenC = EvenChannels(g);
            var transposed = padded + PaddedLength(g, evenC);
            var partial = _sums + (long)group * evenC * 9 * cout;
            new Span<float>(partial, evenC * 9 * cout).Clear();
            var paddedPlane = (h + 2) * (w + 2);
            // Images write only the interiors: the borders (and the zero plane of an odd count) stay zero.
            new Span<float>(padded, evenC * paddedPlane).Clear();
            for (var n = g.Batch * group / _groups; n < g.Batch * (group + 1) / _groups; n++)
            {
                CopyInterior(_x + (long)n * cin * h * w, cin, h, w, padded);
                TransposeToPositionMajor(_dy + (long)n * cout * g.OutPlane, cout, g.OutPlane, transposed);
                var o = 0;
                for (; o + 2 * Lanes <= cout; o += 2 * Lanes)
                for (var c = 0; c < cin; c++)
                    TileTwo(transposed + o, cout, padded + c * paddedPlane, w + 2, stride, outH, outW, partial + c * 9 * cout + o, cout);
                if (o < cout)
                    for (var c = 0; c < evenC; c += 2)
                        TileOne(transposed + o, cout, padded + c * paddedPlane, paddedPlane, w + 2, stride, outH, outW, partial + c * 9 * cout + o, cout);
            }
        }
    }

    /// <summary>dst[p·rows + r] = src[r·columns + p] for rows a multiple of 16, in 16 × 16 register blocks.</summary>
    private static void TransposeToPositionMajor(float* src, int rows, int columns, float* dst)
    {
        for (var r0 = 0; r0 < rows; r0 += Lanes)
        {
            var p0 = 0;
            for (; p0 + Lanes <= columns; p0 += Lanes) Transpose16(src + (long)r0 * columns + p0, columns, dst + (long)p0 * rows + r0, rows);
            for (; p0 < columns; p0++)
            for (var r = r0; r < r0 + Lanes; r++) dst[(long)p0 * rows + r] = src[(long)r * columns + p0];
        }
    }

    /// <summary>Transposes the 16 × 16 block at src (row stride s) into dst (row stride d).</summary>
    private static void Transpose16(float* src, int s, float* dst, int d)
    {
        // Pairs, then pairs of pairs within 128-bit lanes, then 128-bit lanes across registers (twice).
        var t0 = Avx512F.UnpackLow(Vector512.Load(src), Vector512.Load(src + s));
        var t1 = Avx512F.UnpackHigh(Vector512.Load(src), Vector512.Load(src + s));
        var t2 = Avx512F.UnpackLow(Vector512.Load(src + 2 * s), Vector512.Load(src + 3 * s));
        var t3 = Avx512F.UnpackHigh(Vector512.Load(src + 2 * s), Vector512.Load(src + 3 * s));
        var t4 = Avx512F.UnpackLow(Vector512.Load(src + 4 * s), Vector512.Load(src + 5 * s));
        var t5 = Avx512F.UnpackHigh(Vector512.Load(src + 4 * s), Vector512.Load(src + 5 * s));
        var t6 = Avx512F.UnpackLow(Vector512.Load(src + 6 * s), Vector512.Load(src + 7 * s));
        var t7 = Avx512F.UnpackHigh(Vector512.Load(src + 6 * s), Vector512.Load(src + 7 * s));
        var t8 = Avx512F.UnpackLow(Vector512.Load(src + 8 * s), Vector512.Load(src + 9 * s));
        var t9 = Avx512F.UnpackHigh(Vector512.Load(src + 8 * s), Vector512.Load(src + 9 * s));
        var ta = Avx512F.UnpackLow(Vector512.Load(src + 10 * s), Vector512.Load(src + 11 * s));
        var tb = Avx512F.UnpackHigh(Vector512.Load(src + 10 * s), Vector512.Load(src + 11 * s));
        var tc = Avx512F.UnpackLow(Vector512.Load(src + 12 * s), Vector512.Load(src + 13 * s));
        var td = Avx512F.UnpackHigh(Vector512.Load(src + 12 * s), Vector512.Load(src + 13 * s));
        var te = Avx512F.UnpackLow(Vector512.Load(src + 14 * s), Vector512.Load(src + 15 * s));
        var tf = Avx512F.UnpackHigh(Vector512.Load(src + 14 * s), Vector512.Load(src + 15 * s));

        var u0 = Avx512F.Shuffle(t0, t2, 0x44);
        var u1 = Avx512F.Shuffle(t0, t2, 0xEE);
        var u2 = Avx512F.Shuffle(t1, t3, 0x44);
        var u3 = Avx512F.Shuffle(t1, t3, 0xEE);
        var u4 = Avx512F.Shuffle(t4, t6, 0x44);
        var u5 = Avx512F.Shuffle(t4, t6, 0xEE);
        var u6 = Avx512F.Shuffle(t5, t7, 0x44);
        var u7 = Avx512F.Shuffle(t5, t7, 0xEE);
        var u8 = Avx512F.Shuffle(t8, ta, 0x44);
        var u9 = Avx512F.Shuffle(t8, ta, 0xEE);
        var ua = Avx512F.Shuffle(t9, tb, 0x44);
        var ub = Avx512F.Shuffle(t9, tb, 0xEE);
        var uc = Avx512F.Shuffle(tc, te, 0x44);
        var ud = Avx512F.Shuffle(tc, te, 0xEE);
        var ue = Avx512F.Shuffle(td, tf, 0x44);
        var uf = Avx512F.Shuffle(td, tf, 0xEE);

        var v0 = Avx512F.Shuffle4x128(u0, u4, 0x88);
        var v1 = Avx512F.Shuffle4x128(u1, u5, 0x88);
        var v2 = Avx512F.Shuffle4x128(u2, u6, 0x88);
        var v3 = Avx512F.Shuffle4x128(u3, u7, 0x88);
        var v4 = Avx512F.Shuffle4x128(u0, u4, 0xDD);
        var v5 = Avx512F.Shuffle4x128(u1, u5, 0xDD);
        var v6 = Avx512F.Shuffle4x128(u2, u6, 0xDD);
        var v7 = Avx512F.Shuffle4x128(u3, u7, 0xDD);
        var v8 = Avx512F.Shuffle4x128(u8, uc, 0x88);
        var v9 = Avx512F.Shuffle4x128(u9, ud, 0x88);
        var va = Avx512F.Shuffle4x128(ua, ue, 0x88);
        var vb = Avx512F.Shuffle4x128(ub, uf, 0x88);
        var vc = Avx512F.Shuffle4x128(u8, uc, 0xDD);
        var vd = Avx512F.Shuffle4x128(u9, ud, 0xDD);
        var ve = Avx512F.Shuffle4x128(ua, ue, 0xDD);
        var vf = Avx512F.Shuffle4x128(ub, uf, 0xDD);

        Avx512F.Shuffle4x128(v0, v8, 0x88).Store(dst);
        Avx512F.Shuffle4x128(v1, v9, 0x88).Store(dst + d);
        Avx512F.Shuffle4x128(v2, va, 0x88).Store(dst + 2 * d);
        Avx512F.Shuffle4x128(v3, vb, 0x88).Store(dst + 3 * d);
        Avx512F.Shuffle4x128(v4, vc, 0x88).Store(dst + 4 * d);
        Avx512F.Shuffle4x128(v5, vd, 0x88).Store(dst + 5 * d);
        Avx512F.Shuffle4x128(v6, ve, 0x88).Store(dst + 6 * d);
        Avx512F.Shuffle4x128(v7, vf, 0x88).Store(dst + 7 * d);
        Avx512F.Shuffle4x128(v0, v8, 0xDD).Store(dst + 8 * d);
        Avx512F.Shuffle4x128(v1, v9, 0xDD).Store(dst + 9 * d);
        Avx512F.Shuffle4x128(v2, va, 0xDD).Store(dst + 10 * d);
        Avx512F.Shuffle4x128(v3, vb, 0xDD).Store(dst + 11 * d);
        Avx512F.Shuffle4x128(v4, vc, 0xDD).Store(dst + 12 * d);
        Avx512F.Shuffle4x128(v5, vd, 0xDD).Store(dst + 13 * d);
        Avx512F.Shuffle4x128(v6, ve, 0xDD).Store(dst + 14 * d);
        Avx512F.Shuffle4x128(v7, vf, 0xDD).Store(dst + 15 * d);
    }

    /// <summary>
    /// Adds Σ over output positions (r, q) of dy[r·outW + q][o .. o + 31] · x_padded[s·r + i, s·q + j] into
    /// sums[tap·stride + o ..] for one input channel (padded rows wp apart): 18 accumulators (two vectors of output
    /// channels × 9 taps), loaded once and stored once per image.
    /// </summary>
    private static void TileTwo(float* dy, int dyStride, float* x, int wp, int s, int outH, int outW, float* sums, int stride)
    {
        var a0 = Vector512.Load(sums + 0 * stride);
        var b0 = Vector512.Load(sums + 0 * stride + Lanes);
        var a1 = Vector512.Load(sums + 1 * stride);
        var b1 = Vector512.Load(sums + 1 * stride + Lanes);
        var a2 = Vector512.Load(sums + 2 * stride);
        var b2 = Vector512.Load(sums + 2 * stride + Lanes);
        var a3 = Vector512.Load(sums + 3 * stride);
        var b3 = Vector512.Load(sums + 3 * stride + Lanes);
        var a4 = Vector512.Load(sums + 4 * stride);
        var b4 = Vector512.Load(sums + 4 * stride + Lanes);
        var a5 = Vector512.Load(sums + 5 * stride);
        var b5 = Vector512.Load(sums + 5 * stride + Lanes);
        var a6 = Vector512.Load(sums + 6 * stride);
        var b6 = Vector512.Load(sums + 6 * stride + Lanes);
        var a7 = Vector512.Load(sums + 7 * stride);
        var b7 = Vector512.Load(sums + 7 * stride + Lanes);
        var a8 = Vector512.Load(sums + 8 * stride);
        var b8 = Vector512.Load(sums + 8 * stride + Lanes);
        for (var r = 0; r < outH; r++)
        {
            var row = x + s * r * wp;
            var g = dy + (long)r * outW * dyStride;
            for (var q = 0; q < outW; q++, row += s, g += dyStride)
            {
                var g0 = Vector512.Load(g);
                var g1 = Vector512.Load(g + Lanes);
                var x0 = Vector512.Create(row[0]);
                a0 = Vector512.FusedMultiplyAdd(g0, x0, a0);
                b0 = Vector512.FusedMultiplyAdd(g1, x0, b0);
                var x1 = Vector512.Create(row[1]);
                a1 = Vector512.FusedMultiplyAdd(g0, x1, a1);
                b1 = Vector512.FusedMultiplyAdd(g1, x1, b1);
                var x2 = Vector512.Create(row[2]);
                a2 = Vector512.FusedMultiplyAdd(g0, x2, a2);
                b2 = Vector512.FusedMultiplyAdd(g1, x2, b2);
                var x3 = Vector512.Create(row[wp]);
                a3 = Vector512.FusedMultiplyAdd(g0, x3, a3);
                b3 = Vector512.FusedMultiplyAdd(g1, x3, b3);
                var x4 = Vector512.Create(row[wp + 1]);
                a4 = Vector512.FusedMultiplyAdd(g0, x4, a4);
                b4 = Vector512.FusedMultiplyAdd(g1, x4, b4);
                var x5 = Vector512.Create(row[wp + 2]);
                a5 = Vector512.FusedMultiplyAdd(g0, x5, a5);
                b5 = Vector512.FusedMultiplyAdd(g1, x5, b5);
                var x6 = Vector512.Create(row[2 * wp]);
                a6 = Vector512.FusedMultiplyAdd(g0, x6, a6);
                b6 = Vector512.FusedMultiplyAdd(g1, x6, b6);
                var x7 = Vector512.Create(row[2 * wp + 1]);
                a7 = Vector512.FusedMultiplyAdd(g0, x7, a7);
                b7 = Vector512.FusedMultiplyAdd(g1, x7, b7);
                var x8 = Vector512.Create(row[2 * wp + 2]);
                a8 = Vector512.FusedMultiplyAdd(g0, x8, a8);
                b8 = Vector512.FusedMultiplyAdd(g1, x8, b8);
            }
        }
        a0.Store(sums + 0 * stride);
        b0.Store(sums + 0 * stride + Lanes);
        a1.Store(sums + 1 * stride);
        b1.Store(sums + 1 * stride + Lanes);
        a2.Store(sums + 2 * stride);
        b2.Store(sums + 2 * stride + Lanes);
        a3.Store(sums + 3 * stride);
        b3.Store(sums + 3 * stride + Lanes);
        a4.Store(sums + 4 * stride);
        b4.Store(sums + 4 * stride + Lanes);
        a5.Store(sums + 5 * stride);
        b5.Store(sums + 5 * stride + Lanes);
        a6.Store(sums + 6 * stride);
        b6.Store(sums + 6 * stride + Lanes);
        a7.Store(sums + 7 * stride);
        b7.Store(sums + 7 * stride + Lanes);
        a8.Store(sums + 8 * stride);
        b8.Store(sums + 8 * stride + Lanes);
    }

    /// <summary>
    /// One vector of output channels for two input channels (x and x + xStride, sums and sums + 9·stride): 18
    /// accumulators, one vector load and 18 broadcasts per position.
    /// </summary>
    private static void TileOne(float* dy, int dyStride, float* x, int xStride, int wp, int s, int outH, int outW, float* sums, int stride)
    {
        var y = x + xStride;
        var t = sums + 9 * stride;
        var a0 = Vector512.Load(sums + 0 * stride);
        var a1 = Vector512.Load(sums + 1 * stride);
        var a2 = Vector512.Load(sums + 2 * stride);
        var a3 = Vector512.Load(sums + 3 * stride);
        var a4 = Vector512.Load(sums + 4 * stride);
        var a5 = Vector512.Load(sums + 5 * stride);
        var a6 = Vector512.Load(sums + 6 * stride);
        var a7 = Vector512.Load(sums + 7 * stride);
        var a8 = Vector512.Load(sums + 8 * stride);
        var b0 = Vector512.Load(t + 0 * stride);
        var b1 = Vector512.Load(t + 1 * stride);
        var b2 = Vector512.Load(t + 2 * stride);
        var b3 = Vector512.Load(t + 3 * stride);
        var b4 = Vector512.Load(t + 4 * stride);
        var b5 = Vector512.Load(t + 5 * stride);
        var b6 = Vector512.Load(t + 6 * stride);
        var b7 = Vector512.Load(t + 7 * stride);
        var b8 = Vector512.Load(t + 8 * stride);
        for (var r = 0; r < outH; r++)
        {
            var row = x + s * r * wp;
            var row2 = y + s * r * wp;
            var g = dy + (long)r * outW * dyStride;
            for (var q = 0; q < outW; q++, row += s, row2 += s, g += dyStride)
            {
                var g0 = Vector512.Load(g);
                a0 = Vector512.FusedMultiplyAdd(g0, Vector512.Create(row[0]), a0);
                b0 = Vector512.FusedMultiplyAdd(g0, Vector512.Create(row2[0]), b0);
                a1 = Vector512.FusedMultiplyAdd(g0, Vector512.Create(row[1]), a1);
                b1 = Vector512.FusedMultiplyAdd(g0, Vector512.Create(row2[1]), b1);
                a2 = Vector512.FusedMultiplyAdd(g0, Vector512.Create(row[2]), a2);
                b2 = Vector512.FusedMultiplyAdd(g0, Vector512.Create(row2[2]), b2);
                a3 = Vector512.FusedMultiplyAdd(g0, Vector512.Create(row[wp]), a3);
                b3 = Vector512.FusedMultiplyAdd(g0, Vector512.Create(row2[wp]), b3);
                a4 = Vector512.FusedMultiplyAdd(g0, Vector512.Create(row[wp + 1]), a4);
                b4 = Vector512.FusedMultiplyAdd(g0, Vector512.Create(row2[wp + 1]), b4);
                a5 = Vector512.FusedMultiplyAdd(g0, Vector512.Create(row[wp + 2]), a5);
                b5 = Vector512.FusedMultiplyAdd(g0, Vector512.Create(row2[wp + 2]), b5);
                a6 = Vector512.FusedMultiplyAdd(g0, Vector512.Create(row[2 * wp]), a6);
                b6 = Vector512.FusedMultiplyAdd(g0, Vector512.Create(row2[2 * wp]), b6);
                a7 = Vector512.FusedMultiplyAdd(g0, Vector512.Create(row[2 * wp + 1]), a7);
                b7 = Vector512.FusedMultiplyAdd(g0, Vector512.Create(row2[2 * wp + 1]), b7);
                a8 = Vector512.FusedMultiplyAdd(g0, Vector512.Create(row[2 * wp + 2]), a8);
                b8 = Vector512.FusedMultiplyAdd(g0, Vector512.Create(row2[2 * wp + 2]), b8);
            }
        }
        a0.Store(sums + 0 * stride);
        a1.Store(sums + 1 * stride);
        a2.Store(sums + 2 * stride);
        a3.Store(sums + 3 * stride);
        a4.Store(sums + 4 * stride);
        a5.Store(sums + 5 * stride);
        a6.Store(sums + 6 * stride);
        a7.Store(sums + 7 * stride);
        a8.Store(sums + 8 * stride);
        b0.Store(t + 0 * stride);
        b1.Store(t + 1 * stride);
        b2.Store(t + 2 * stride);
        b3.Store(t + 3 * stride);
        b4.Store(t + 4 * stride);
        b5.Store(t + 5 * stride);
        b6.Store(t + 6 * stride);
        b7.Store(t + 7 * stride);
        b8.Store(t + 8 * stride);
    }
}
