namespace AsymNet.Data;

/// <summary>Byte-image to float conversions shared by datasets, augmentation and loaders.</summary>
public static class ImageOps
{
    /// <summary>dst = (src / 255 − mean[c]) / std[c] for each channel plane of one C·H·W image.</summary>
    public static void ToFloat(ReadOnlySpan<byte> src, Span<float> dst, int plane, NormalizationStats stats)
    {
        for (var c = 0; c < stats.Channels; c++)
        {
            var scale = 1f / (255f * stats.Std[c]);
            var bias = -stats.Mean[c] / stats.Std[c];
            var s = src.Slice(c * plane, plane);
            var d = dst.Slice(c * plane, plane);
            for (var i = 0; i < s.Length; i++) d[i] = s[i] * scale + bias;
        }
    }

    /// <summary>dst = src / 255 (torchvision's ToTensor).</summary>
    public static void ToUnitFloat(ReadOnlySpan<byte> src, Span<float> dst)
    {
        const float scale = 1f / 255f;
        for (var i = 0; i < src.Length; i++) dst[i] = src[i] * scale;
    }
}
