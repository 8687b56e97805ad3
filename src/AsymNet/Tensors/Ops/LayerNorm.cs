namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Layer norm over the last dimension (biased variance), optional affine weight/bias of that size.</summary>
    public static Tensor LayerNorm(Tensor x, Tensor? weight, Tensor? bias, float eps = 1e-5f)
    {
        if (x.Rank < 1) throw new ArgumentException("LayerNorm needs at least one dimension.");
        var features = x.Shape[^1];
        CheckChannelParameter(weight, features, "LayerNorm weight");
        CheckChannelParameter(bias, features, "LayerNorm bias");
        var rows = features == 0 ? 0 : x.Length / features;
        return NormalizeOwnStatistics(x, new NormLayout(rows, features, 1, 1), weight, bias, eps);
    }

    /// <summary>Normalization with statistics taken from x itself: layer and group norm.</summary>
    private static Tensor NormalizeOwnStatistics(Tensor x, NormLayout layout, Tensor? weight, Tensor? bias, float eps)
    {
        var count = layout.StatCount;
        var buffer = System.Buffers.ArrayPool<double>.Shared.Rent(2 * count);
        var mean = buffer.AsSpan(0, count);
        var variance = buffer.AsSpan(count, count);
        Normalization.Statistics(x.Span, layout, mean, variance);
        var y = Normalization.Normalize(x, layout, mean, variance, eps, weight, bias, statsFromInput: true);
        System.Buffers.ArrayPool<double>.Shared.Return(buffer);
        return y;
    }

    /// <summary>A per-channel parameter (affine weight/bias, running statistic) must be a vector of the channel count.</summary>
    private static void CheckChannelParameter(Tensor? p, int channels, string what)
    {
        if (p is not null && (p.Rank != 1 || p.Shape[0] != channels))
            throw new ArgumentException($"{what} has shape {ShapeUtil.Format(p.Shape)}, expected [{channels}].");
    }
}
