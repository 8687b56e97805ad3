using AsymNet.Tensors;
using AsymNet.Tensors.Ops;
using AsymNet.Tests.Support;
using O = AsymNet.Tensors.Ops.Ops;

namespace AsymNet.Tests.Tensors;

/// <summary>Sets the process's BLAS thread count, so it runs alone.</summary>
[Collection(BlasThreadsCollection.Name)]
public class ParallelChunksTests
{
    private sealed class CountingJob(int chunks, int failAt = -1) : IChunkJob
    {
        public readonly int[] Runs = new int[chunks];

        public void RunChunk(int chunk, int participant)
        {
            if (chunk == failAt) throw new ArithmeticException("chunk failed");
            Interlocked.Increment(ref Runs[chunk]);
            // A nested parallel op runs inline.
            var inner = new int[3];
            ParallelChunks.Run(new Inner(inner), 3);
            Assert.Equal([1, 1, 1], inner);
        }

        private sealed class Inner(int[] runs) : IChunkJob
        {
            public void RunChunk(int chunk, int participant) => runs[chunk]++;
        }
    }

    [Fact]
    public void EveryChunkRunsOnceAndFailuresSurface()
    {
        for (var round = 0; round < 20; round++)
        {
            var job = new CountingJob(37);
            ParallelChunks.Run(job, 37);
            Assert.All(job.Runs, r => Assert.Equal(1, r));
        }
        Assert.Throws<ArithmeticException>(() => ParallelChunks.Run(new CountingJob(8, failAt: 5), 8));
        var after = new CountingJob(5);
        ParallelChunks.Run(after, 5); // the worker still serves after a failure
        Assert.All(after.Runs, r => Assert.Equal(1, r));
    }

    private static void AssertSameBitsInlineAndParallel(Func<float[][]> body) => KernelPathRuns.AssertSameBitsInlineAndParallel(body);

    [Avx512Fact]
    public void DirectConvolutionGivesTheSameBitsInlineAndParallel()
    {
        var rng = new Rng(41);
        // Nine images in eight weight-gradient groups; 48 output channels take both weight-gradient tiles.
        var x = GradCheck.Random(rng, -1, 1, 9, 16, 4, 32);
        var w = GradCheck.Random(rng, -1, 1, 48, 16, 3, 3);
        var b = GradCheck.Random(rng, -1, 1, 48);
        var strided = GradCheck.Random(rng, -1, 1, 16, 16, 3, 3);
        AssertSameBitsInlineAndParallel(() =>
        {
            x.RequiresGrad = w.RequiresGrad = b.RequiresGrad = strided.RequiresGrad = true;
            (x.Grad, w.Grad, b.Grad, strided.Grad) = (null, null, null, null);
            var y = O.Conv2d(x, w, b, 1, 1);
            var z = O.Conv2d(x, strided, null, 2, 1); // tap-plane tiles, strided weight gradient
            O.Add(O.Sum(O.Mul(y, y)), O.Sum(O.Mul(z, z))).Backward();
            return [y.ToArray(), z.ToArray(), x.Grad!.ToArray(), w.Grad!.ToArray(), b.Grad!.ToArray(), strided.Grad!.ToArray()];
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NormsAndElementwiseOpsGiveTheSameBitsInlineAndParallel(bool batchNorm)
    {
        // 6·16·32·32 floats: enough for the parallel paths of group/batch norm rows, ReLU and addition.
        var rng = new Rng(43);
        var x = GradCheck.Random(rng, -2, 3, 6, 16, 32, 32);
        var skip = GradCheck.Random(rng, -1, 1, 6, 16, 32, 32);
        var w = GradCheck.Random(rng, 0.5f, 1.5f, 16);
        var b = GradCheck.Random(rng, -1, 1, 16);
        AssertSameBitsInlineAndParallel(() =>
        {
            x.RequiresGrad = w.RequiresGrad = b.RequiresGrad = skip.RequiresGrad = true;
            (x.Grad, w.Grad, b.Grad, skip.Grad) = (null, null, null, null);
            long tracked = 0;
            var normed = batchNorm
                ? O.BatchNorm(x, Tensor.Zeros(16), Tensor.Full(1f, 16), w, b, training: true, momentum: 0.1f, eps: 1e-5f, ref tracked)
                : O.GroupNorm(x, 1, w, b);
            var y = O.Relu(O.Add(normed, skip));
            var fused = O.AddRelu(O.GroupNormRelu(x, 2, w, b), O.GroupNormAddRelu(skip, 1, w, b, x)); // the fused ops' rows and maps
            O.Sum(O.Mul(O.Add(y, fused), O.Add(y, x))).Backward();
            return [y.ToArray(), fused.ToArray(), x.Grad!.ToArray(), w.Grad!.ToArray(), b.Grad!.ToArray(), skip.Grad!.ToArray()];
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AdamUpdatesOfLargeParametersGiveTheSameBitsInlineAndParallel(bool maskedAdamW)
    {
        AssertSameBitsInlineAndParallel(() =>
        {
            var rng = new Rng(47);
            var p = GradCheck.Random(rng, -1, 1, 300, 301); // 90,300 floats: three chunks and a ragged tail
            p.Grad = GradCheck.Random(rng, -1, 1, 300, 301);
            var mask = maskedAdamW ? Tensor.FromArray(Enumerable.Range(0, p.Length).Select(i => i % 7 == 0 ? 0f : 1f).ToArray(), 300, 301) : null;
            AsymNet.NN.Optim.Optimizer opt = maskedAdamW
                ? new AsymNet.NN.Optim.AdamW([new AsymNet.NN.Optim.OptimParameter("p", p, mask)], 0.01, weightDecay: 0.1)
                : new AsymNet.NN.Optim.Adam([new AsymNet.NN.Optim.OptimParameter("p", p)], 0.01);
            for (var step = 0; step < 3; step++) opt.Step();
            return [p.ToArray()];
        });
    }

    [OpenBlasTheory]
    [InlineData(300, 77, 999, true, true)]    // OpenBLAS gives different last bits for this product whole and in blocks
    [InlineData(64, 512, 784, false, true)]   // the MLP's first layer
    [InlineData(512, 512, 64, true, false)]   // its weight gradient
    public void OpenBlasProductsAreTheSameAtOneAndTwoThreads(int m, int n, int k, bool transA, bool transB)
    {
        var gemm = MissingHardware.LoadedOpenBlas();
        var rng = new Rng(51);
        var a = GradCheck.Random(rng, -1, 1, m * k).ToArray();
        var b = GradCheck.Random(rng, -1, 1, k * n).ToArray();
        var (one, two) = (new float[m * n], new float[m * n]);
        var before = gemm.Threads;
        try
        {
            gemm.Threads = 1;
            gemm.Sgemm(transA, transB, m, n, k, 1f, a, transA ? m : k, b, transB ? k : n, 0f, one, n);
            gemm.Threads = 2;
            gemm.Sgemm(transA, transB, m, n, k, 1f, a, transA ? m : k, b, transB ? k : n, 0f, two, n);
        }
        finally
        {
            gemm.Threads = before;
        }
        Assert.Equal(one, two);
    }
}
