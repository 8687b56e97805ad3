using System.Globalization;

namespace AsymNet.Data;

/// <summary>How a crop fills pixels that fall outside the image.</summary>
public enum PadMode
{
    /// <summary>A fixed value per channel (in whatever scale the image has at that step).</summary>
    Constant,

    /// <summary>Mirror without repeating the edge pixel (torch's "reflect").</summary>
    Reflect,
}

/// <summary>
/// One step of an <see cref="AugmentationPipeline"/>, applied to a float image [C, H, W] that starts at the
/// [0, 1] scale (pixel / 255). Steps run in the order given, so whether a fill happens before or after
/// normalisation is expressed by where <see cref="NormalizeStep"/> sits.
/// </summary>
public abstract record AugmentStep
{
    /// <summary>A short description for logs and run manifests.</summary>
    public abstract string Describe();

    private protected static string Values(float[]? v) =>
        v is null ? "0" : string.Join("/", v.Select(x => x.ToString("0.####", CultureInfo.InvariantCulture)));
}

/// <summary>(x − mean[c]) / std[c].</summary>
public sealed record NormalizeStep(NormalizationStats Stats) : AugmentStep
{
    public override string Describe() => $"normalize({Stats.Name})";
}

/// <summary>Mirrors the image left–right with probability <see cref="Probability"/>.</summary>
public sealed record HorizontalFlipStep(double Probability = 0.5) : AugmentStep
{
    public override string Describe() => $"hflip(p={Probability.ToString(CultureInfo.InvariantCulture)})";
}

/// <summary>
/// Pads by <see cref="Padding"/> on every side and takes a random crop of the original size, offsets uniform in
/// {0..2·Padding} per axis (torchvision RandomCrop(size, padding); FFCV RandomTranslate is the constant-fill case).
/// </summary>
public sealed record RandomCropStep(int Padding, PadMode Mode = PadMode.Constant, float[]? Fill = null) : AugmentStep
{
    public override string Describe() =>
        $"crop(pad={Padding}, {(Mode == PadMode.Reflect ? "reflect" : "fill=" + Values(Fill))})";
}

/// <summary>Fills a Size x Size square with top-left corner uniform in {0..H−Size} x {0..W−Size} (FFCV Cutout).</summary>
public sealed record CutoutStep(int Size, float[]? Fill = null) : AugmentStep
{
    public override string Describe() => $"cutout({Size}, fill={Values(Fill)})";
}
