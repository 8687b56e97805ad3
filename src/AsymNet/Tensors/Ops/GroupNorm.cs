namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Group norm of [N, C, ...] with C divisible by groups; optional per-channel affine.</summary>
    public static Tensor GroupNorm(Tensor x, int groups, Tensor? weight, Tensor? bias, float eps = 1e-5f) =>
        GroupNorm(x, groups, weight, bias, eps, relu: false);

    /// <summary>
    /// Relu(GroupNorm(x, ...)) in the passes of the norm alone: bit for bit the two ops, one pass over the activations
    /// less in each direction and no intermediate tensor (the ResNet's conv → norm → ReLU).
    /// </summary>
    public static Tensor GroupNormRelu(Tensor x, int groups, Tensor? weight, Tensor? bias, float eps = 1e-5f) =>
        GroupNorm(x, groups, weight, bias, eps, relu: true);

    /// <summary>
    /// Relu(GroupNorm(x, ...) + residual) in the passes of the norm alone (a ResNet block's join): bit for bit the three
    /// ops, without the addition's passes over memory or the copy of the gradient its backward makes.
    /// </summary>
    public static Tensor GroupNormAddRelu(Tensor x, int groups, Tensor? weight, Tensor? bias, Tensor residual, float eps = 1e-5f)
    {
        if (!ShapeUtil.SameShape(x.Shape, residual.Shape))
            throw new ArgumentException($"GroupNormAddRelu: residual {ShapeUtil.Format(residual.Shape)} must have the input's shape {ShapeUtil.Format(x.Shape)}.");
        return GroupNorm(x, groups, weight, bias, eps, relu: true, residual);
    }

    private static Tensor GroupNorm(Tensor x, int groups, Tensor? weight, Tensor? bias, float eps, bool relu, Tensor? residual = null)
    {
        if (x.Rank < 2) throw new ArgumentException($"GroupNorm needs input [N, C, ...], got {ShapeUtil.Format(x.Shape)}.");
        var (n, c) = (x.Shape[0], x.Shape[1]);
        if (groups <= 0 || c % groups != 0)
            throw new ArgumentException($"GroupNorm needs channels ({c}) divisible by a positive number of groups ({groups}).");
        Normalization.CheckChannelParameter(weight, c, "GroupNorm weight");
        Normalization.CheckChannelParameter(bias, c, "GroupNorm bias");
        return Normalization.NormalizeWithOwnStatistics(x, new NormLayout(n, c, ShapeUtil.Numel(x.Shape.AsSpan(2)), groups), weight, bias, eps, relu, residual);
    }
}
