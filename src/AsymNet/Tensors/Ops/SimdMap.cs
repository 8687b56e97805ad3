using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AsymNet.Tensors.Ops;

/// <summary>An elementwise function of one input, written once for every vector width.</summary>
internal interface IUnaryKernel
{
    T Invoke<T>(T x) where T : struct, IFloatVector<T>;
}

/// <summary>An elementwise function of two inputs, written once for every vector width.</summary>
internal interface IBinaryKernel
{
    T Invoke<T>(T a, T b) where T : struct, IFloatVector<T>;
}

/// <summary>An elementwise function of three inputs, written once for every vector width.</summary>
internal interface ITernaryKernel
{
    T Invoke<T>(T a, T b, T c) where T : struct, IFloatVector<T>;
}

/// <summary>
/// Runs custom elementwise kernels over spans: 512-bit vectors while they fit (where accelerated), then 256-bit,
/// then one element at a time through the same kernel code. Destinations may alias inputs element for element.
/// Unary and binary maps over at least two chunks of <see cref="ChunkLength"/> floats (ResNet activations, not MLP
/// rows) run as <see cref="ParallelChunks"/>; each element's result is the same whoever computes it.
/// </summary>
internal static unsafe partial class SimdMap
{
    /// <summary>Floats per parallel chunk (128 KB: big enough to amortise a claim, small enough to balance).</summary>
    internal const int ChunkLength = 1 << 15;

    private static bool Split(int length) => length >= 2 * ChunkLength && ParallelChunks.TwoCores;

    private static int Chunks(int length) => (length + ChunkLength - 1) / ChunkLength;

    public static void Map<TKernel>(TKernel kernel, ReadOnlySpan<float> x, Span<float> y) where TKernel : struct, IUnaryKernel
    {
        if (x.Length != y.Length) throw new ArgumentException("Spans must have equal lengths.");
        if (Split(y.Length))
        {
            fixed (float* px = x)
            fixed (float* py = y)
                BinaryJob<Unary<TKernel>>.Run(new Unary<TKernel>(kernel), px, px, py, y.Length);
            return;
        }
        MapSerial(kernel, x, y);
    }

    private static void MapSerial<TKernel>(TKernel kernel, ReadOnlySpan<float> x, Span<float> y) where TKernel : struct, IUnaryKernel
    {
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        nuint i = 0, n = (nuint)x.Length;
        if (FloatV512.IsAccelerated) Loop<TKernel, FloatV512>(kernel, ref xr, ref yr, ref i, n);
        if (FloatV256.IsAccelerated) Loop<TKernel, FloatV256>(kernel, ref xr, ref yr, ref i, n);
        Loop<TKernel, FloatV1>(kernel, ref xr, ref yr, ref i, n);
    }

    public static void Map<TKernel>(TKernel kernel, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) where TKernel : struct, IBinaryKernel
    {
        if (a.Length != y.Length || b.Length != y.Length) throw new ArgumentException("Spans must have equal lengths.");
        if (Split(y.Length))
        {
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* py = y)
                BinaryJob<TKernel>.Run(kernel, pa, pb, py, y.Length);
            return;
        }
        MapSerial(kernel, a, b, y);
    }

    private static void MapSerial<TKernel>(TKernel kernel, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) where TKernel : struct, IBinaryKernel
    {
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var br = ref MemoryMarshal.GetReference(b);
        ref var yr = ref MemoryMarshal.GetReference(y);
        nuint i = 0, n = (nuint)y.Length;
        if (FloatV512.IsAccelerated) Loop<TKernel, FloatV512>(kernel, ref ar, ref br, ref yr, ref i, n);
        if (FloatV256.IsAccelerated) Loop<TKernel, FloatV256>(kernel, ref ar, ref br, ref yr, ref i, n);
        Loop<TKernel, FloatV1>(kernel, ref ar, ref br, ref yr, ref i, n);
    }

    public static void Map<TKernel>(TKernel kernel, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> y)
        where TKernel : struct, ITernaryKernel
    {
        if (a.Length != y.Length || b.Length != y.Length || c.Length != y.Length) throw new ArgumentException("Spans must have equal lengths.");
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var br = ref MemoryMarshal.GetReference(b);
        ref var cr = ref MemoryMarshal.GetReference(c);
        ref var yr = ref MemoryMarshal.GetReference(y);
        nuint i = 0, n = (nuint)y.Length;
        if (FloatV512.IsAccelerated) Loop<TKernel, FloatV512>(kernel, ref ar, ref br, ref cr, ref yr, ref i, n);
        if (FloatV256.IsAccelerated) Loop<TKernel, FloatV256>(kernel, ref ar, ref br, ref cr, ref yr, ref i, n);
        Loop<TKernel, FloatV1>(kernel, ref ar, ref br, ref cr, ref yr, ref i, n);
    }

    /// <summary>Like <see cref="Map{TKernel}(TKernel, ReadOnlySpan{float}, Span{float})"/>, returning the sum of the outputs.</summary>
    public static float MapSum<TKernel>(TKernel kernel, ReadOnlySpan<float> x, Span<float> y) where TKernel : struct, IUnaryKernel
    {
        if (x.Length != y.Length) throw new ArgumentException("Spans must have equal lengths.");
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        nuint i = 0, n = (nuint)x.Length;
        var sum = 0f;
        if (FloatV512.IsAccelerated) sum += SumLoop<TKernel, FloatV512>(kernel, ref xr, ref yr, ref i, n);
        if (FloatV256.IsAccelerated) sum += SumLoop<TKernel, FloatV256>(kernel, ref xr, ref yr, ref i, n);
        return sum + SumLoop<TKernel, FloatV1>(kernel, ref xr, ref yr, ref i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Loop<TKernel, T>(TKernel kernel, ref float x, ref float y, ref nuint i, nuint n)
        where TKernel : struct, IUnaryKernel where T : struct, IFloatVector<T>
    {
        var w = (nuint)T.Count;
        for (; i + w <= n; i += w) kernel.Invoke(T.Load(ref x, i)).Store(ref y, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Loop<TKernel, T>(TKernel kernel, ref float a, ref float b, ref float y, ref nuint i, nuint n)
        where TKernel : struct, IBinaryKernel where T : struct, IFloatVector<T>
    {
        var w = (nuint)T.Count;
        for (; i + w <= n; i += w) kernel.Invoke(T.Load(ref a, i), T.Load(ref b, i)).Store(ref y, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Loop<TKernel, T>(TKernel kernel, ref float a, ref float b, ref float c, ref float y, ref nuint i, nuint n)
        where TKernel : struct, ITernaryKernel where T : struct, IFloatVector<T>
    {
        var w = (nuint)T.Count;
        for (; i + w <= n; i += w) kernel.Invoke(T.Load(ref a, i), T.Load(ref b, i), T.Load(ref c, i)).Store(ref y, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SumLoop<TKernel, T>(TKernel kernel, ref float x, ref float y, ref nuint i, nuint n)
        where TKernel : struct, IUnaryKernel where T : struct, IFloatVector<T>
    {
        var w = (nuint)T.Count;
        var acc = T.Create(0f);
        for (; i + w <= n; i += w)
        {
            var r = kernel.Invoke(T.Load(ref x, i));
            r.Store(ref y, i);
            acc += r;
        }
        return acc.Sum();
    }
}
