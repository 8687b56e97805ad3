using AsymNet.Tensors;
using AsymNet.Tensors.Gemm;

namespace AsymNet.Experiments.Bench;

/// <summary>How AsymNet's side of a workload ran, as shown in the report's setting column.</summary>
public static class BenchSetting
{
    /// <summary>The GEMM in use with its threads and the threading policy, e.g. "openblas 0.3.21 (Cooperlake), 1 thread(s), policy auto".</summary>
    public static string Describe() => $"{Blas.Current.Name}, {Blas.Current.Threads} thread(s), policy {ThreadingPolicy.Current.Text}";
}
