using AsymNet.Tensors;
using AsymNet.Tensors.Gemm;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Tensors;

public sealed class ThreadingPolicyTests
{
    [Theory]
    [InlineData("auto", ThreadingMode.Auto, 2, 1, "auto")]
    [InlineData(" AUTO ", ThreadingMode.Auto, 2, 1, "auto")]
    [InlineData("1", ThreadingMode.Blas, 1, 1, "1")]
    [InlineData("4", ThreadingMode.Blas, 4, 1, "4")]
    [InlineData("runs", ThreadingMode.Runs, 1, 2, "runs:2")]
    [InlineData("runs:3", ThreadingMode.Runs, 1, 3, "runs:3")]
    public void ParsesTheTextForms(string text, ThreadingMode mode, int blasThreads, int runs, string roundTrip)
    {
        var p = ThreadingPolicy.Parse(text, cores: 2, "test");
        Assert.Equal((mode, blasThreads, runs, "test"), (p.Mode, p.BlasThreads, p.ParallelRuns, p.Source));
        Assert.Equal(roundTrip, p.Text);
        Assert.Equal(p with { Source = "again" }, ThreadingPolicy.Parse(p.Text, 2, "again"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("two")]
    [InlineData("runs:0")]
    [InlineData("runs:")]
    [InlineData("runs:x")]
    [InlineData("1.5")]
    public void RejectsAnythingElseNamingTheForms(string text)
    {
        var e = Assert.Throws<FormatException>(() => ThreadingPolicy.Parse(text, 2, "--threads"));
        Assert.Contains("--threads", e.Message);
        Assert.Contains("runs:N", e.Message);
    }

    [Fact]
    public void OpenBlasCoreTypeFollowsTheInstructionSetByDefaultKeptOrForcedOnRequest()
    {
        Assert.Equal(new OpenBlasCoreTypeDecision("Haswell", "SkylakeX", "default: SkylakeX (AVX-512)"), OpenBlasCoreType.Decide("Haswell", null, avx512: true));
        Assert.Equal(new OpenBlasCoreTypeDecision("Haswell", null, "default: unset"), OpenBlasCoreType.Decide("Haswell", " ", avx512: false));
        Assert.Equal(new OpenBlasCoreTypeDecision(null, null, "default: unset"), OpenBlasCoreType.Decide(null, null, avx512: false));
        Assert.Equal("Haswell", OpenBlasCoreType.Decide("Haswell", "keep", avx512: true).Applied);
        Assert.Null(OpenBlasCoreType.Decide(null, "KEEP", avx512: true).Applied);
        Assert.Equal("Zen", OpenBlasCoreType.Decide("Haswell", "Zen", avx512: true).Applied);
        Assert.Equal("SkylakeX", OpenBlasCoreType.Decide(null, "SkylakeX", avx512: false).Applied);
        Assert.True(OpenBlasCoreType.Avx512Bits(0xD0030000u));
        Assert.False(OpenBlasCoreType.Avx512Bits(0x50030000u)); // no VL
        Assert.False(OpenBlasCoreType.Avx512Bits(0x00000020u)); // AVX2 only
    }

    [Fact]
    public void BlasSelectionHonoursTheChoiceAndExplainsBadOnes()
    {
        Assert.IsType<ManagedGemm>(Blas.Select("managed"));
        Assert.Equal(128, Assert.IsType<ManagedGemm>(Blas.Select("managed:128")).VectorBits);
        var auto = Blas.Select(null);
        Assert.Equal(OpenBlasGemm.Instance is null ? typeof(ManagedGemm) : typeof(OpenBlasGemm), auto.GetType());
        if (OpenBlasGemm.Instance is null) Assert.Contains("libopenblas", Assert.Throws<InvalidOperationException>(() => Blas.Select("openblas")).Message);
        else Assert.Same(OpenBlasGemm.Instance, Blas.Select("OpenBLAS"));
        Assert.Contains("managed:256", Assert.Throws<InvalidOperationException>(() => Blas.Select("mkl")).Message);
        Assert.Throws<InvalidOperationException>(() => Blas.Select("managed:64"));
    }

    [OpenBlasFact]
    public void OpenBlasReportsTheCoreItRunsAndFollowsThreadRequests()
    {
        var openBlas = MissingHardware.LoadedOpenBlas();
        Assert.False(string.IsNullOrEmpty(openBlas.CoreName));
        Assert.Contains(openBlas.CoreName, openBlas.Name);
        Assert.StartsWith("OpenBLAS", openBlas.Config);
        // This test process inherits the machine's environment and sets no override, so the default rule applied:
        // SkylakeX kernels on an AVX-512 CPU, OpenBLAS's own detection elsewhere.
        if (Environment.GetEnvironmentVariable(OpenBlasCoreType.OverrideVariable) is null)
        {
            Assert.Equal(OpenBlasCoreType.HasAvx512 ? "SkylakeX" : null, openBlas.CoreType.Applied);
            Assert.Equal(openBlas.CoreType.Applied, Environment.GetEnvironmentVariable(OpenBlasCoreType.Variable));
            if (OpenBlasCoreType.HasAvx512) Assert.Equal("SkylakeX", openBlas.CoreName, ignoreCase: true);
        }
        // Child processes (the PyTorch peer) are given the same core type.
        Assert.Equal(openBlas.CoreType.Applied, OpenBlasCoreType.Decide().Applied);
        var before = openBlas.Threads;
        try
        {
            openBlas.Threads = 1;
            Assert.Equal(1, openBlas.Threads);
            openBlas.Threads = 1000;
            Assert.Equal(openBlas.MaxThreads, openBlas.Threads);
        }
        finally
        {
            openBlas.Threads = before;
        }
    }
}
