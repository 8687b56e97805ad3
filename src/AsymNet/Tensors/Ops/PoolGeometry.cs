namespace AsymNet.Tensors.Ops;

/// <summary>
/// Sizes of pooling without padding over Planes = N·C independent planes of InH × InW (floor mode, as PyTorch's
/// default). A 1-D pool is the case InH = KernelH = 1.
/// </summary>
internal readonly record struct PoolGeometry(int Planes, int InH, int InW, int KernelH, int KernelW, int StrideH, int StrideW)
{
    public int OutH => (InH - KernelH) / StrideH + 1;
    public int OutW => (InW - KernelW) / StrideW + 1;
    public int InPlane => InH * InW;
    public int OutPlane => OutH * OutW;

    /// <summary>Throws, naming the input shape, unless the kernel and stride fit it.</summary>
    public void Validate(string op, Tensor x, int kernel, int stride)
    {
        if (kernel < 1 || stride < 1)
            throw new ArgumentException($"{op}: kernel ({kernel}) and stride ({stride}) must be ≥ 1.");
        if (KernelH > InH || KernelW > InW)
            throw new ArgumentException($"{op}: kernel {kernel} is larger than the input {ShapeUtil.Format(x.Shape)}.");
    }
}
