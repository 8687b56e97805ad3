using AsymNet.Tensors.Gemm;

namespace AsymNet.Experiments.Bench;

/// <summary>How AsymNet's side of a workload ran, as shown in the report's setting column.</summary>
public static class BenchSetting
{
    /// <summary>The GEMM in use and the threads the ops may use, e.g. "openblas 0.3.21 (Cooperlake), threads=2".</summary>
    public static string Describe() => $"{Blas.Current.Name}, threads={Blas.Current.Threads}";
}
