using System.Runtime.Intrinsics;
using AsymNet.Tensors;
using AsymNet.Tensors.Gemm;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Tensors;

/// <summary>
/// Every GEMM provider (managed at each vector width this CPU has, managed with two threads, OpenBLAS) against a
/// scalar float64 reference on odd shapes, all transpose combinations, padded leading dimensions, alpha ≠ 1 and
/// beta = 0 (with NaN in C), 1 and −0.5.
/// </summary>
public sealed class GemmTests
{
    /// <summary>The naive triple loop, in float64: the scalar reference.</summary>
    private static void ReferenceSgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        float[] a, int lda, float[] b, int ldb, float beta, double[] c, int ldc)
    {
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            var acc = 0.0;
            for (var p = 0; p < k; p++)
                acc += (double)(transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
            ref var cij = ref c[i * ldc + j];
            cij = alpha * acc + (beta == 0f ? 0.0 : beta * cij);
        }
    }

    public static TheoryData<string> Providers()
    {
        var data = new TheoryData<string> { "managed", "managed-2threads", "managed-128" };
        if (Vector256.IsHardwareAccelerated) data.Add("managed-256");
        if (Vector512.IsHardwareAccelerated) data.Add("managed-512");
        if (OpenBlasGemm.Instance is not null) { data.Add("openblas"); data.Add("openblas-1thread"); }
        return data;
    }

    private static IGemm Provider(string name) => name switch
    {
        "managed" => new ManagedGemm(),
        "managed-2threads" => new ManagedGemm { Threads = 2 },
        "managed-128" => new ManagedGemm(128),
        "managed-256" => new ManagedGemm(256),
        "managed-512" => new ManagedGemm(512),
        "openblas" => OpenBlasGemm.Instance!,
        // Threads is process-wide for OpenBLAS; the tests only ever lower it to 1 here and restore it below.
        "openblas-1thread" => OpenBlasGemm.Instance!,
        _ => throw new ArgumentException(name),
    };

    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (3, 17, 65), (17, 3, 129), (63, 65, 17), (65, 129, 3), (129, 63, 65), (1, 129, 63), (33, 1, 17),
        (13, 37, 300), (200, 70, 520), (7, 33, 1100), (5, 2100, 7), (64, 96, 32),
    ];

    [Theory]
    [MemberData(nameof(Providers))]
    public void MatchesReferenceOnOddShapesTransposesAndStrides(string provider)
    {
        var gemm = Provider(provider);
        var threadsBefore = gemm.Threads;
        if (provider == "openblas-1thread") gemm.Threads = 1;
        try
        {
            var rng = new Rng(11);
            var cases = 0;
            foreach (var (m, n, k) in Shapes)
            foreach (var transA in new[] { false, true })
            foreach (var transB in new[] { false, true })
            {
                // Rotate alpha, beta and padding over the cases so every combination of shape and transposes meets several.
                var (alpha, beta) = (cases % 4) switch { 0 => (1f, 0f), 1 => (0.75f, 1f), 2 => (-1.5f, -0.5f), _ => (2f, 0f) };
                var pad = cases % 3 == 0 ? 0 : 1 + cases % 5;
                Check(gemm, rng, transA, transB, m, n, k, alpha, beta, pad, $"{provider} case {cases}");
                cases++;
            }
        }
        finally
        {
            gemm.Threads = threadsBefore;
        }
    }

    private static void Check(IGemm gemm, Rng rng, bool transA, bool transB, int m, int n, int k, float alpha, float beta, int pad, string label)
    {
        var (aRows, aCols) = transA ? (k, m) : (m, k);
        var (bRows, bCols) = transB ? (n, k) : (k, n);
        var (lda, ldb, ldc) = (aCols + pad, bCols + 2 * pad, n + pad);
        var a = new float[(aRows - 1) * lda + aCols];
        var b = new float[(bRows - 1) * ldb + bCols];
        var c = new float[(m - 1) * ldc + n];
        rng.FillUniform(a, -1f, 1f);
        rng.FillUniform(b, -1f, 1f);
        if (beta == 0f) c.AsSpan().Fill(float.NaN);
        else rng.FillUniform(c, -1f, 1f);
        // Padding between rows must stay untouched: mark it.
        for (var i = 0; i < m; i++)
            for (var j = n; j < ldc && i * ldc + j < c.Length; j++) c[i * ldc + j] = 12345f;
        var want = c.Select(x => (double)x).ToArray();
        ReferenceSgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, want, ldc);

        gemm.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        var tol = 2e-6 * (k + 8) * Math.Max(1f, Math.Abs(alpha));
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var got = c[i * ldc + j];
                if (!(Math.Abs(got - want[i * ldc + j]) <= tol))
                    Assert.Fail($"{label}: {m}x{n}x{k} transA={transA} transB={transB} alpha={alpha} beta={beta} pad={pad}: " +
                                $"C[{i},{j}] = {got}, reference {want[i * ldc + j]}");
            }
            for (var j = n; j < ldc && i * ldc + j < c.Length; j++) Assert.Equal(12345f, c[i * ldc + j]);
        }
    }

    [OpenBlasFact]
    public void ManagedAndOpenBlasAgree()
    {
        var openBlas = MissingHardware.LoadedOpenBlas();
        var rng = new Rng(5);
        const int m = 97, n = 131, k = 300;
        var a = new float[k * m];
        var b = new float[k * n];
        rng.FillUniform(a, -1f, 1f);
        rng.FillUniform(b, -1f, 1f);
        var fromManaged = new float[m * n];
        var fromOpenBlas = new float[m * n];
        new ManagedGemm().Sgemm(true, false, m, n, k, 1f, a, m, b, n, 0f, fromManaged, n);
        openBlas.Sgemm(true, false, m, n, k, 1f, a, m, b, n, 0f, fromOpenBlas, n);
        for (var i = 0; i < m * n; i++) Assert.Equal(fromOpenBlas[i], fromManaged[i], 1e-4f);
    }

    [Fact]
    public void ManagedTwoThreadsGiveBitwiseTheSameResultAsOne()
    {
        var rng = new Rng(9);
        foreach (var (m, n, k) in new[] { (300, 260, 300), (250, 7, 700), (1000, 33, 40) })
        {
            var a = new float[m * k];
            var b = new float[k * n];
            rng.FillUniform(a, -1f, 1f);
            rng.FillUniform(b, -1f, 1f);
            var one = new float[m * n];
            var two = new float[m * n];
            new ManagedGemm { Threads = 1 }.Sgemm(false, true, m, n, k, 0.5f, a, k, b, k, 0f, one, n);
            new ManagedGemm { Threads = 2 }.Sgemm(false, true, m, n, k, 0.5f, a, k, b, k, 0f, two, n);
            Assert.Equal(one, two);
        }
    }

    [Fact]
    public void KZeroOrAlphaZeroScalesCByBeta()
    {
        foreach (var gemm in new IGemm?[] { new ManagedGemm(), OpenBlasGemm.Instance })
        {
            if (gemm is null) continue;
            var c = new[] { 1f, 2f, float.NaN, 4f };
            gemm.Sgemm(false, false, 2, 2, 0, 1f, [], 0, [], 2, 0f, c, 2);
            Assert.Equal(new[] { 0f, 0f, 0f, 0f }, c);
            c = [1f, 2f, 3f, 4f];
            gemm.Sgemm(false, false, 2, 2, 1, 0f, [float.NaN, 1f], 1, [1f, 1f], 2, 2f, c, 2);
            Assert.Equal(new[] { 2f, 4f, 6f, 8f }, c);
        }
    }

    [Fact]
    public void TooShortBuffersAndBadStridesThrowBeforeAnyNativeCall()
    {
        foreach (var gemm in new IGemm?[] { new ManagedGemm(), OpenBlasGemm.Instance })
        {
            if (gemm is null) continue;
            var ex = Assert.Throws<ArgumentException>(() => gemm.Sgemm(false, false, 4, 4, 4, 1f, new float[15], 4, new float[16], 4, 0f, new float[16], 4));
            Assert.Contains("A holds 15 floats", ex.Message);
            Assert.Throws<ArgumentException>(() => gemm.Sgemm(false, true, 4, 4, 4, 1f, new float[16], 4, new float[16], 3, 0f, new float[16], 4));
            Assert.Throws<ArgumentException>(() => gemm.Sgemm(false, false, 4, 4, 4, 1f, new float[16], 4, new float[16], 4, 0f, new float[15], 4));
        }
    }

    [Fact]
    public void ManagedRefusesAVectorWidthTheCpuLacks()
    {
        if (!Vector512.IsHardwareAccelerated)
            Assert.Throws<ArgumentOutOfRangeException>(() => new ManagedGemm(512));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ManagedGemm(64));
        Assert.Contains("Vector", new ManagedGemm().Name);
    }
}
