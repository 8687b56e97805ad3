using System.Runtime.Intrinsics;
using AsymNet.Tensors.Ops;

namespace AsymNet.Tensors;

/// <summary>
/// Which code paths this process's kernels take, all decided by the vector width the runtime accelerates (which
/// DOTNET_EnableAVX512=0 or DOTNET_EnableAVX2=0 lower): results differ in the last bits between paths, and training
/// can amplify that (docs/lmc.md#vector-width).
/// </summary>
/// <param name="Elementwise">Width of the element-wise and reduction kernels: "512-bit", "256-bit" or "scalar".</param>
/// <param name="Convolution3x3">"direct (512-bit)" for the ResNet 3×3 convolutions, or "lowered (im2col + GEMM)".</param>
/// <param name="Gemm">The matrix product (<see cref="Gemm.IGemm.Name"/>).</param>
public sealed record KernelPaths(string Elementwise, string Convolution3x3, string Gemm)
{
    public static KernelPaths Current(string gemm) => new(
        FloatV512.IsAccelerated ? "512-bit" : FloatV256.IsAccelerated ? "256-bit" : "scalar",
        Vector512.IsHardwareAccelerated ? "direct (512-bit)" : "lowered (im2col + GEMM)",
        gemm);
}
