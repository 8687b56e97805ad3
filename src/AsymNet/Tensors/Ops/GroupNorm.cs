namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Group norm of [N, C, ...] with C divisible by groups; optional per-channel affine.</summary>
    public static Tensor GroupNorm(Tensor x, int groups, Tensor? weight, Tensor? bias, float eps = 1e-5f) =>
        GroupNorm(x, groups, weight, bias, NormEpilogue.None, eps);

    /// <summary>
    /// Relu(GroupNorm(x, ...)) in the passes of the norm alone: bit for bit the two ops, one pass over the activations
    /// less in each direction and no intermediate tensor (the ResNet's conv → norm → ReLU).
    /// </summary>
    public static Tensor GroupNormRelu(Tensor x, int groups, Tensor? weight, Tensor? bias, float eps = 1e-5f) =>
        GroupNorm(x, groups, weight, bias, NormEpilogue.ThenRelu, eps);

    /// <summary>
    /// Relu(GroupNorm(x, ...) + residual) in the passes of the norm alone (a ResNet block's join): bit for bit the three
    /// ops, without the addition's passes over memory or the copy of the gradient its backward makes.
    /// </summary>
    public static Tensor GroupNormAddRelu(Tensor x, int groups, Tensor? weight, Tensor? bias, Tensor residual, float eps = 1e-5f) =>
        GroupNorm(x, groups, weight, bias, NormEpilogue.AddThenRelu(residual), eps);

    /// <summary>Group norm followed by <paramref name="epilogue"/> in the norm's own passes, bit for bit the separate ops.</summary>
    public static Tensor GroupNorm(Tensor x, int groups, Tensor? weight, Tensor? bias, NormEpilogue epilogue, float eps = 1e-5f)
    {
        if (x.Rank < 2) throw new ArgumentException($"GroupNorm needs input [N, C, ...], got {ShapeUtil.Format(x.Shape)}.");
        var (n, c) = (x.Shape[0], x.Shape[1]);
        if (groups <= 0 || c % groups != 0)
            throw new ArgumentException($"GroupNorm needs channels ({c}) divisible by a positive number of groups ({groups}).");
        Normalization.CheckChannelParameter(weight, c, "GroupNorm weight");
        Normalization.CheckChannelParameter(bias, c, "GroupNorm bias");
        var layout = new NormLayout(n, c, ShapeUtil.Numel(x.Shape.AsSpan(2)), groups);
        return Normalization.NormalizeWithOwnStatistics(x, new NormSpec(layout, weight, bias, eps, NormStatistics.OfInput, epilogue));
    }
}
