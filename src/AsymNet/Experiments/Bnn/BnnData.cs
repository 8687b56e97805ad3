using AsymNet.Data;
using AsymNet.NN.Models;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Bnn;

/// <summary>
/// The images of one dataset as the recipe uses them: fixed random train and test subsets when the recipe asks for
/// them (keyed by the run seed, shared by every network), the recipe's augmentation, and loaders. Thread-safe to share:
/// every loader is new.
/// </summary>
public sealed class BnnData
{
    private readonly BnnRecipe _recipe;
    private readonly ImageDataset _train;
    private readonly ImageDataset _test;
    private readonly AugmentationPipeline _augmentation;
    private readonly AugmentationPipeline _normalizeOnly;

    public BnnData(BnnRecipe recipe, string dataset, (ImageDataset Train, ImageDataset Test) data)
    {
        _recipe = recipe;
        (_train, _test) = data;
        if (recipe.TrainSize > _train.Count) throw new ArgumentException($"{dataset} has {_train.Count} training images; the recipe asks for {recipe.TrainSize}.");
        if (recipe.TestSize > _test.Count) throw new ArgumentException($"{dataset} has {_test.Count} test images; the recipe asks for {recipe.TestSize}.");
        TrainIndex = recipe.TrainSize is { } n ? DataSplit.Subset(DataSplit.All(_train.Count), n, Rng.ForKey(recipe.Seed, $"bnn/{dataset}/train-subset")) : DataSplit.All(_train.Count);
        TestIndex = recipe.TestSize is { } m ? DataSplit.Subset(DataSplit.All(_test.Count), m, Rng.ForKey(recipe.Seed, $"bnn/{dataset}/test-subset")) : DataSplit.All(_test.Count);
        _normalizeOnly = AugmentationPipeline.NormalizeOnly(_train.Stats);
        _augmentation = recipe.Augmentation switch
        {
            "none" => _normalizeOnly,
            // The authors' torchvision order: normalise, reflect-pad 4 and crop, then flip; drawn per image.
            "crop-flip" => new AugmentationPipeline([new NormalizeStep(_train.Stats), new RandomCropStep(4, PadMode.Reflect), new HorizontalFlipStep()]),
            // The authors' MNIST loader: reflect-pad 4 and crop, no flip.
            "crop" => new AugmentationPipeline([new NormalizeStep(_train.Stats), new RandomCropStep(4, PadMode.Reflect)]),
            _ => throw new ArgumentException($"Unknown augmentation '{recipe.Augmentation}' (none, crop, crop-flip)."),
        };
        Shape = new DatasetShape(dataset, [_train.Channels, _train.Height, _train.Width], _train.ClassCount);
    }

    public DatasetShape Shape { get; }
    public int[] TrainIndex { get; }
    public int[] TestIndex { get; }

    /// <summary>N_data of the ELBO's KL weight: training images × the augmentation multiplier.</summary>
    public long KlCount => (long)TrainIndex.Length * _recipe.AugmentationMultiplier;

    public int StepsPerEpoch => (TrainIndex.Length + _recipe.BatchSize - 1) / _recipe.BatchSize;

    public string Description => $"{Shape.Name} ({TrainIndex.Length:N0} train / {TestIndex.Length:N0} test images, augmentation {_augmentation.Describe()})";

    public ImageLoader TrainLoader(ulong dataSeed, bool prefetch = true) =>
        new(_train, new LoaderOptions { BatchSize = _recipe.BatchSize, Augmentation = _augmentation, Prefetch = prefetch }, new Rng(dataSeed), TrainIndex);

    public ImageLoader TestLoader(int[]? indices = null) =>
        new(_test, LoaderOptions.Eval(_recipe.EvalBatchSize) with { Augmentation = _normalizeOnly }, new Rng(0), indices ?? TestIndex);
}
