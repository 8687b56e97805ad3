using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AsymNet.Tensors.Ops;

/// <summary>
/// Direct 3×3 convolution, stride 1, padding 1 ("same"), no groups, on NCHW planes whose width is a multiple of 8, with
/// 512-bit vectors: the ResNet body convolutions at 32×32, 16×16 and 8×8. The im2col path writes nine shifted copies of
/// every input and multiplies 16-row matrices, so for 16 channels it ran at a third of the core's peak. Here each image
/// is copied so that the input under tap (i, j) of any run of 16 consecutive outputs is 16 consecutive floats: once,
/// with a zero border (rows w + 2 apart), when runs are whole rows or halves (w = 16, 32); three times, shifted by one
/// column each (copy j holds x[c, r − 1, q + j − 1], zero outside, with one zero row above and below), when a run
/// spans two rows of an 8-wide plane. Each tile keeps 8 output channels × 2 such runs in registers. The input gradient
/// is the same correlation of the padded output gradient with the transposed, rotated kernel; the weight gradient is
/// in DirectConv3x3WeightGradient.cs. Other 3×3 forwards (stride 2) run the same tiles over nine tap planes per image
/// (see <see cref="SupportsLowered"/>). Images are chunks of <see cref="ParallelChunks"/> (a second core takes some
/// when the policy gives one).
/// </summary>
internal static unsafe partial class DirectConv3x3
{
    private const int Lanes = 16;

    /// <summary>Output channels per register tile of the forward and input-gradient kernels.</summary>
    public const int Block = 8;

    /// <summary>Shapes the kernels handle (the channel counts are checked per direction).</summary>
    public static bool Supports(in ConvGeometry g) =>
        Vector512.IsHardwareAccelerated && KernelPaths.DirectConvolution && g.Groups == 1 && g.KernelH == 3 && g.KernelW == 3 && g.StrideH == 1 && g.StrideW == 1 &&
        g.PadH == 1 && g.PadW == 1 && g.InH > 0 && g.InW % 8 == 0 && g.InH * g.InW % (2 * Lanes) == 0;

    public static bool SupportsForward(in ConvGeometry g) => (Supports(g) || SupportsLowered(g)) && g.OutChannels % Block == 0;

    /// <summary>
    /// Other 3×3 convolutions (the stride-2 ones of a ResNet) whose output plane is whole pairs of runs: the forward
    /// lowers each image to nine tap planes (im2col, row (c·3 + i)·3 + j) and runs the same tiles over them.
    /// </summary>
    private static bool SupportsLowered(in ConvGeometry g) =>
        Vector512.IsHardwareAccelerated && KernelPaths.DirectConvolution && g.Groups == 1 && g.KernelH == 3 && g.KernelW == 3 && g.OutPlane % (2 * Lanes) == 0;
    public static bool SupportsInputGradient(in ConvGeometry g) => Supports(g) && g.InChannels % Block == 0;

    [ThreadStatic] private static ConvJob? _job;

    /// <summary>How the correlation copies an image so that the input under any tap of a 16-output run is 16 consecutive floats.</summary>
    private enum CopyLayout
    {
        /// <summary>One copy with a zero border, rows w + 2 apart: runs are whole rows or halves (w a multiple of 16).</summary>
        Padded,

        /// <summary>Three copies shifted by a column each: runs that span two rows (8-wide planes).</summary>
        Shifted,

        /// <summary>Nine tap planes of the output's size (im2col): other strides and paddings.</summary>
        TapPlanes,
    }

    private static CopyLayout LayoutOf(in ConvGeometry g) =>
        !Supports(g) ? CopyLayout.TapPlanes : g.InW % Lanes == 0 ? CopyLayout.Padded : CopyLayout.Shifted;

    /// <summary>Floats of one image's copies of <paramref name="channels"/> planes, a whole number of 64-byte lines.</summary>
    private static int CopiesLength(in ConvGeometry g, int channels) => LayoutOf(g) switch
    {
        CopyLayout.Padded => PaddedLength(g, channels),
        CopyLayout.Shifted => 3 * channels * (g.InH + 2) * g.InW,
        _ => 9 * channels * g.OutPlane,
    };

    /// <summary>Floats of <paramref name="channels"/> zero-bordered (h + 2) × (w + 2) planes, rounded up to whole lines.</summary>
    private static int PaddedLength(in ConvGeometry g, int channels) => (channels * (g.InH + 2) * (g.InW + 2) + Lanes - 1) / Lanes * Lanes;

    /// <summary>Extra floats rented so that scratch can start on a 64-byte line (see <see cref="Aligned"/>).</summary>
    private const int AlignSlack = 16;

    /// <summary>
    /// The first 64-byte boundary at or after p: every thread's copies and the weight gradient's partial sums start on a
    /// cache line (shifted copies and partial sums keep whole lines between rows, so their vector loads never straddle).
    /// </summary>
    private static float* Aligned(float* p) => (float*)(((nint)p + 63) & ~(nint)63);

    /// <summary>y = conv(x, w) + b.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, in ConvGeometry g, Span<float> y)
    {
        var (cin, cout) = (g.InChannels, g.OutChannels);
        var packed = TensorPool.Rent(cout * cin * 9);
        // [cout/8][cin][tap][8]: the eight output channels' weights of one tap side by side.
        for (var o = 0; o < cout; o++)
        for (var c = 0; c < cin; c++)
        for (var t = 0; t < 9; t++)
            packed[((o / Block * cin + c) * 9 + t) * Block + o % Block] = weight[(o * cin + c) * 9 + t];
        Correlate(x, cin, packed, cout, bias, g, y, accumulate: false);
        TensorPool.Return(packed);
    }

    /// <summary>
    /// dx = the correlation of dy with W transposed (in/out swapped) and rotated by 180°; <paramref name="accumulate"/>:
    /// dx += that, each sum added to the value already there just before it is stored (as a separate addition would).
    /// </summary>
    public static void InputGradient(ReadOnlySpan<float> dy, ReadOnlySpan<float> weight, in ConvGeometry g, Span<float> dx, bool accumulate)
    {
        var (cin, cout) = (g.InChannels, g.OutChannels);
        var packed = TensorPool.Rent(cout * cin * 9);
        for (var c = 0; c < cin; c++)
        for (var o = 0; o < cout; o++)
        for (var t = 0; t < 9; t++)
            packed[((c / Block * cout + o) * 9 + t) * Block + c % Block] = weight[(o * cin + c) * 9 + 8 - t];
        Correlate(dy, cout, packed, cin, default, g, dx, accumulate);
        TensorPool.Return(packed);
    }

    /// <summary>One chunk per image; each thread shifts (or lowers) into its own scratch.</summary>
    private static void Correlate(ReadOnlySpan<float> input, int inC, float[] packed, int outC, ReadOnlySpan<float> bias, in ConvGeometry g,
        Span<float> output, bool accumulate)
    {
        var scratch = TensorPool.Rent(2 * CopiesLength(g, inC) + AlignSlack);
        fixed (float* pin = input)
        fixed (float* pw = packed)
        fixed (float* pb = bias)
        fixed (float* pout = output)
        fixed (float* ps = scratch)
        {
            var job = _job ??= new ConvJob();
            job.Set(g, pin, inC, pw, outC, bias.IsEmpty ? null : pb, pout, Aligned(ps), accumulate);
            ParallelChunks.Run(job, g.Batch);
        }
        TensorPool.Return(scratch);
    }

    /// <summary>
    /// Writes the three column-shifted copies of <paramref name="channels"/> planes of one image: copy j (at
    /// dst + j·channels·(h+2)·w), channel c, row r + 1 holds x[c, r, q + j − 1] for q = 0..w−1, zero where q + j − 1 falls
    /// outside; rows 0 and h + 1 are zero. Each copy is the whole plane moved by j − 1 floats in one vector copy, then the
    /// column that wrapped around from the neighbouring row is zeroed (rows of 8 floats made per-row copies call-bound).
    /// </summary>
    private static void Shift(float* src, int channels, int h, int w, float* dst)
    {
        var cs = (h + 2) * w;
        var plane = h * w;
        for (var c = 0; c < channels; c++)
        {
            var s = src + (long)c * plane;
            for (var j = 0; j < 3; j++)
            {
                var d = dst + (long)(j * channels + c) * cs;
                new Span<float>(d, w).Clear();
                new Span<float>(d + (h + 1) * w, w).Clear();
                var body = d + w;
                if (j == 1) Copy(s, body, plane);
                else if (j == 0)
                {
                    Copy(s, body + 1, plane - 1);
                    for (var r = 0; r < h; r++) body[r * w] = 0f;
                }
                else
                {
                    Copy(s + 1, body, plane - 1);
                    for (var r = 0; r < h; r++) body[r * w + w - 1] = 0f;
                }
            }
        }
    }

    /// <summary>Where run s of a plane outW wide starts in copies whose rows are pitch apart.</summary>
    private static float* Run(float* copies, int s, int outW, int pitch) => copies + s * Lanes / outW * pitch + s * Lanes % outW;

    /// <summary>Copies <paramref name="channels"/> planes h × w into the interiors of planes (h + 2) × (w + 2).</summary>
    private static void CopyInterior(float* src, int channels, int h, int w, float* dst)
    {
        var wp = w + 2;
        for (var c = 0; c < channels; c++)
        for (var r = 0; r < h; r++)
            Copy(src + ((long)c * h + r) * w, dst + ((long)c * (h + 2) + r + 1) * wp + 1, w);
    }

    /// <summary>
    /// dst[i] = src[i] with 512-bit loads and stores. Buffer.MemoryCopy was 30% of a ResNet20 step here: source and
    /// destination one float apart in alignment, its large-block path (rep movsb) crawls on this CPU.
    /// </summary>
    private static void Copy(float* src, float* dst, int n)
    {
        var i = 0;
        for (; i <= n - Lanes; i += Lanes) Vector512.Store(Vector512.Load(src + i), dst + i);
        if (i <= n - 8)
        {
            Vector256.Store(Vector256.Load(src + i), dst + i);
            i += 8;
        }
        for (; i < n; i++) dst[i] = src[i];
    }

    /// <summary>One call's work, reused per calling thread (no allocation per call).</summary>
    private sealed class ConvJob : IChunkJob
    {
        private readonly bool[] _bordersClear = new bool[2]; // per participant: its padded scratch has a zero border
        private ConvGeometry _g;
        private float* _input, _packed, _bias, _output, _scratch;
        private int _inC, _outC;
        private bool _accumulate;

        public void Set(in ConvGeometry g, float* input, int inC, float* packed, int outC, float* bias, float* output, float* scratch, bool accumulate)
        {
            _g = g;
            _accumulate = accumulate;
            _bordersClear[0] = _bordersClear[1] = false;
            (_inC, _outC) = (inC, outC);
            _input = input;
            _packed = packed;
            _bias = bias;
            _output = output;
            _scratch = scratch;
        }

        public void RunChunk(int n, int participant)
        {
            var g = _g;
            var (inPlane, outPlane) = (g.InPlane, g.OutPlane);
            var copies = _scratch + (long)participant * CopiesLength(g, _inC);
            var image = _input + (long)n * _inC * inPlane;
            // Run s (outputs 16·s ..) under tap (i, j) reads copies + (16·s / outW)·pitch + 16·s % outW + i·rs + j·js;
            // cs is the channel stride.
            int cs, js, rs, pitch = g.OutW;
            switch (LayoutOf(g))
            {
                case CopyLayout.Padded:
                    // The border is zeroed once per call and thread; images write only the interior.
                    if (!_bordersClear[participant])
                    {
                        new Span<float>(copies, CopiesLength(g, _inC)).Clear();
                        _bordersClear[participant] = true;
                    }
                    CopyInterior(image, _inC, g.InH, g.InW, copies);
                    pitch = g.InW + 2;
                    (cs, js, rs) = ((g.InH + 2) * pitch, 1, pitch);
                    break;
                case CopyLayout.Shifted:
                    Shift(image, _inC, g.InH, g.InW, copies);
                    (cs, rs) = ((g.InH + 2) * g.InW, g.InW);
                    js = _inC * cs;
                    break;
                default:
                    Ops.Im2Col(new ReadOnlySpan<float>(image, _inC * inPlane), g, new Span<float>(copies, 9 * _inC * outPlane));
                    (cs, js, rs) = (9 * outPlane, outPlane, 3 * outPlane);
                    break;
            }
            var y = _output + (long)n * _outC * outPlane;
            for (var ob = 0; ob < _outC / Block; ob++)
            {
                var wb = _packed + ob * _inC * 9 * Block;
                var bias = _bias is null ? null : _bias + ob * Block;
                var yb = y + ob * Block * outPlane;
                for (var s = 0; s < outPlane / Lanes; s += 2)
                    Tile(Run(copies, s, g.OutW, pitch), Run(copies, s + 1, g.OutW, pitch), _inC, cs, js, rs, wb, yb + s * Lanes, yb + (s + 1) * Lanes,
                        outPlane, bias, _accumulate);
            }
        }
    }

    /// <summary>
    /// Eight output channels at two 16-wide segments (a0/y0 and a1/y1): Σ over input channels and taps of
    /// w[tap][o]·input[segment shifted by the tap], the accumulators starting at the bias (or zero).
    /// </summary>
    private static void Tile(float* a0, float* a1, int inC, int cs, int js, int rs, float* w, float* y0, float* y1, int plane, float* bias,
        bool accumulate)
    {
        var p0 = bias is null ? Vector512<float>.Zero : Vector512.Create(bias[0]);
        var q0 = p0;
        var p1 = bias is null ? Vector512<float>.Zero : Vector512.Create(bias[1]);
        var q1 = p1;
        var p2 = bias is null ? Vector512<float>.Zero : Vector512.Create(bias[2]);
        var q2 = p2;
        var p3 = bias is null ? Vector512<float>.Zero : Vector512.Create(bias[3]);
        var q3 = p3;
        var p4 = bias is null ? Vector512<float>.Zero : Vector512.Create(bias[4]);
        var q4 = p4;
        var p5 = bias is null ? Vector512<float>.Zero : Vector512.Create(bias[5]);
        var q5 = p5;
        var p6 = bias is null ? Vector512<float>.Zero : Vector512.Create(bias[6]);
        var q6 = p6;
        var p7 = bias is null ? Vector512<float>.Zero : Vector512.Create(bias[7]);
        var q7 = p7;
        for (var c = 0; c < inC; c++, a0 += cs, a1 += cs)
        {
            for (var i = 0; i < 3; i++)
            {
                var r0 = a0 + i * rs;
                var r1 = a1 + i * rs;
                for (var j = 0; j < 3; j++, w += Block)
                {
                    var u = Vector512.Load(r0 + j * js);
                    var v = Vector512.Load(r1 + j * js);
                    var w0 = Vector512.Create(w[0]);
                    p0 = Vector512.FusedMultiplyAdd(u, w0, p0);
                    q0 = Vector512.FusedMultiplyAdd(v, w0, q0);
                    var w1 = Vector512.Create(w[1]);
                    p1 = Vector512.FusedMultiplyAdd(u, w1, p1);
                    q1 = Vector512.FusedMultiplyAdd(v, w1, q1);
                    var w2 = Vector512.Create(w[2]);
                    p2 = Vector512.FusedMultiplyAdd(u, w2, p2);
                    q2 = Vector512.FusedMultiplyAdd(v, w2, q2);
                    var w3 = Vector512.Create(w[3]);
                    p3 = Vector512.FusedMultiplyAdd(u, w3, p3);
                    q3 = Vector512.FusedMultiplyAdd(v, w3, q3);
                    var w4 = Vector512.Create(w[4]);
                    p4 = Vector512.FusedMultiplyAdd(u, w4, p4);
                    q4 = Vector512.FusedMultiplyAdd(v, w4, q4);
                    var w5 = Vector512.Create(w[5]);
                    p5 = Vector512.FusedMultiplyAdd(u, w5, p5);
                    q5 = Vector512.FusedMultiplyAdd(v, w5, q5);
                    var w6 = Vector512.Create(w[6]);
                    p6 = Vector512.FusedMultiplyAdd(u, w6, p6);
                    q6 = Vector512.FusedMultiplyAdd(v, w6, q6);
                    var w7 = Vector512.Create(w[7]);
                    p7 = Vector512.FusedMultiplyAdd(u, w7, p7);
                    q7 = Vector512.FusedMultiplyAdd(v, w7, q7);
                }
            }
        }
        Put(p0, y0 + 0 * plane, accumulate);
        Put(q0, y1 + 0 * plane, accumulate);
        Put(p1, y0 + 1 * plane, accumulate);
        Put(q1, y1 + 1 * plane, accumulate);
        Put(p2, y0 + 2 * plane, accumulate);
        Put(q2, y1 + 2 * plane, accumulate);
        Put(p3, y0 + 3 * plane, accumulate);
        Put(q3, y1 + 3 * plane, accumulate);
        Put(p4, y0 + 4 * plane, accumulate);
        Put(q4, y1 + 4 * plane, accumulate);
        Put(p5, y0 + 5 * plane, accumulate);
        Put(q5, y1 + 5 * plane, accumulate);
        Put(p6, y0 + 6 * plane, accumulate);
        Put(q6, y1 + 6 * plane, accumulate);
        Put(p7, y0 + 7 * plane, accumulate);
        Put(q7, y1 + 7 * plane, accumulate);
    }

    /// <summary>Stores v at y, or v + y (the sum first, as <see cref="Autograd"/>'s accumulation adds) when accumulating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Vector512<float> v, float* y, bool accumulate) => (accumulate ? v + Vector512.Load(y) : v).Store(y);
}
