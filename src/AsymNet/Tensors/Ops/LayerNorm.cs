namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Layer norm over the last dimension (biased variance), optional affine weight/bias of that size.</summary>
    public static Tensor LayerNorm(Tensor x, Tensor? weight, Tensor? bias, float eps = 1e-5f)
    {
        if (x.Rank < 1) throw new ArgumentException("LayerNorm needs at least one dimension.");
        var features = x.Shape[^1];
        Normalization.CheckChannelParameter(weight, features, "LayerNorm weight");
        Normalization.CheckChannelParameter(bias, features, "LayerNorm bias");
        var rows = features == 0 ? 0 : x.Length / features;
        return Normalization.NormalizeWithOwnStatistics(x, new NormSpec(new NormLayout(rows, features, 1, 1), weight, bias, eps, NormStatistics.OfInput,
            NormEpilogue.None));
    }
}
