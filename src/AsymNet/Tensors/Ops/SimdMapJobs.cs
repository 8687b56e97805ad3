namespace AsymNet.Tensors.Ops;

internal static unsafe partial class SimdMap
{
    /// <summary>
    /// One parallel map, reused per calling thread and kernel type (no allocation per call). Chunks call the serial
    /// map, so a job never starts another of its own type while it runs. Unary maps run as <see cref="Unary{TKernel}"/>.
    /// </summary>
    private sealed class BinaryJob<TKernel> : IChunkJob where TKernel : struct, IBinaryKernel
    {
        [ThreadStatic] private static BinaryJob<TKernel>? _cached;
        private TKernel _kernel;
        private float* _a, _b, _y;
        private int _length;

        public static void Run(TKernel kernel, float* a, float* b, float* y, int length)
        {
            var job = _cached ??= new BinaryJob<TKernel>();
            job._kernel = kernel;
            job._a = a;
            job._b = b;
            job._y = y;
            job._length = length;
            ParallelChunks.Run(job, Chunks(length));
        }

        public void RunChunk(int chunk, int participant)
        {
            var start = chunk * ChunkLength;
            var length = Math.Min(ChunkLength, _length - start);
            MapSerial(_kernel, new ReadOnlySpan<float>(_a + start, length), new ReadOnlySpan<float>(_b + start, length),
                new Span<float>(_y + start, length));
        }
    }

    /// <summary>A unary kernel seen as a binary one that ignores its second input (a unary map passes x twice).</summary>
    private readonly struct Unary<TKernel>(TKernel kernel) : IBinaryKernel where TKernel : struct, IUnaryKernel
    {
        public T Invoke<T>(T a, T b) where T : struct, IFloatVector<T> => kernel.Invoke(a);
    }

    /// <summary>a + b.</summary>
    internal readonly struct AddKernel : IBinaryKernel
    {
        public T Invoke<T>(T a, T b) where T : struct, IFloatVector<T> => a + b;
    }

    /// <summary>x itself: a copy that large tensors share between both cores.</summary>
    internal readonly struct CopyKernel : IUnaryKernel
    {
        public T Invoke<T>(T x) where T : struct, IFloatVector<T> => x;
    }
}
