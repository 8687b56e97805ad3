namespace AsymNet.Data;

/// <summary>
/// An ordered list of augmentation steps. Random draws are per image by default; with <see cref="PerBatch"/> one
/// draw is shared by every image of a batch (what the LMC CIFAR script does by transforming the batch tensor,
/// docs/paper.md#h4).
/// </summary>
public sealed record AugmentationPipeline(IReadOnlyList<AugmentStep> Steps, bool PerBatch = false)
{
    public string Describe() => string.Join(" → ", Steps.Select(s => s.Describe())) + (PerBatch ? " [per batch]" : "");

    /// <summary>Normalisation only.</summary>
    public static AugmentationPipeline NormalizeOnly(NormalizationStats stats) => new([new NormalizeStep(stats)]);

    /// <summary>FFCV's RandomTranslate(padding, fill): a constant-fill random crop.</summary>
    public static RandomCropStep RandomTranslate(int padding, float[] fill) => new(padding, PadMode.Constant, fill);
}

/// <summary>The paper's augmentation recipes (docs/paper.md#lmc-mlp-recipe, docs/paper.md#lmc-resnet-recipe,
/// docs/paper.md#bnn-data, docs/paper.md#zoo-training), by name.</summary>
public static class AugmentationRecipes
{
    /// <summary>LMC MLP on MNIST (docs/paper.md#lmc-mlp-recipe): normalise with 0.1307 / 0.3081, no
    /// augmentation.</summary>
    public static AugmentationPipeline LmcMnist { get; } = AugmentationPipeline.NormalizeOnly(NormalizationStats.Mnist);

    /// <summary>
    /// LMC ResNet20 on CIFAR-10 as the code does it (docs/paper.md#lmc-resnet-recipe, docs/paper.md#h4): ImageNet
    /// statistics, then flip, then RandomCrop(32, padding 4) with zero fill after normalisation, one draw per batch.
    /// </summary>
    public static AugmentationPipeline LmcCifar { get; } = new(
        [new NormalizeStep(NormalizationStats.ImageNet), new HorizontalFlipStep(), new RandomCropStep(4)], PerBatch: true);

    /// <summary>The same with the conventional per-image draws.</summary>
    public static AugmentationPipeline LmcCifarPerImage { get; } = LmcCifar with { PerBatch = false };

    /// <summary>BNN CIFAR-10/100 (docs/paper.md#bnn-data): normalise (0.491/0.482/0.447, 0.247/0.243/0.261),
    /// reflect-pad 4 and crop 32, flip.</summary>
    public static AugmentationPipeline BnnCifar { get; } = new(
        [new NormalizeStep(NormalizationStats.BnnCifar), new RandomCropStep(4, PadMode.Reflect), new HorizontalFlipStep()]);

    /// <summary>BNN MNIST (docs/paper.md#bnn-data, defined but unused by the paper): normalise, reflect-pad 4 and crop
    /// 28, no flip.</summary>
    public static AugmentationPipeline BnnMnist { get; } = new(
        [new NormalizeStep(NormalizationStats.Mnist), new RandomCropStep(4, PadMode.Reflect)]);

    /// <summary>
    /// Metanet dataset generation, FFCV pipeline (docs/paper.md#zoo-training): flip, RandomTranslate(2, fill
    /// (125,122,113)), Cutout(4, same fill), then normalise with (125.307, 122.961, 113.8575) / (51.5865, 50.847,
    /// 51.255) on the 0–255 scale.
    /// </summary>
    public static AugmentationPipeline MetanetFfcv { get; } = new(
        [
            new HorizontalFlipStep(),
            AugmentationPipeline.RandomTranslate(2, CifarMeanFill),
            new CutoutStep(4, CifarMeanFill),
            new NormalizeStep(NormalizationStats.FfcvCifar),
        ]);

    public static IReadOnlyDictionary<string, AugmentationPipeline> ByName { get; } = new Dictionary<string, AugmentationPipeline>
    {
        ["lmc-mnist"] = LmcMnist,
        ["lmc-cifar"] = LmcCifar,
        ["lmc-cifar-per-image"] = LmcCifarPerImage,
        ["bnn-cifar"] = BnnCifar,
        ["bnn-mnist"] = BnnMnist,
        ["metanet-ffcv"] = MetanetFfcv,
    };

    /// <summary>The integer CIFAR mean (125, 122, 113) on the [0, 1] scale, FFCV's fill colour.</summary>
    private static float[] CifarMeanFill => [125f / 255f, 122f / 255f, 113f / 255f];
}
