using AsymNet.Data;
using AsymNet.NN.Models;
using AsymNet.NN.Training;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Zoo;

/// <summary>
/// The data side of a zoo recipe: the fixed training and test subsets (keyed by the zoo seed, shared by every
/// network), the FFCV-style per-image augmentation (flip, translate 2, cutout 4, filled with the dataset's mean
/// colour, then normalisation), shuffled drop-last training batches, and the two evaluations every network gets.
/// Thread-safe: every call makes its own loader, so jobs can run side by side.
/// </summary>
public sealed class ZooData
{
    private readonly ImageDataset _train;
    private readonly ImageDataset _test;
    private readonly int[] _trainIndex;
    private readonly int[] _trainEvalIndex;
    private readonly int[] _testIndex;
    private readonly AugmentationPipeline _normalizeOnly;
    private readonly ulong _evalAugmentationSeed;

    public ZooData(ZooRecipe recipe, DataPaths paths) : this(recipe, Datasets.LoadImages(recipe.Dataset, paths)) { }

    public ZooData(ZooRecipe recipe, (ImageDataset Train, ImageDataset Test) data)
    {
        Recipe = recipe;
        (_train, _test) = (data.Train.Padded(recipe.Pad), data.Test.Padded(recipe.Pad));
        _trainIndex = recipe.TrainSize is { } n ? DataSplit.Subset(DataSplit.All(_train.Count), n, Rng.ForKey(recipe.Seed, "zoo/train-subset")) : DataSplit.All(_train.Count);
        _testIndex = recipe.TestSize is { } m ? DataSplit.Subset(DataSplit.All(_test.Count), m, Rng.ForKey(recipe.Seed, "zoo/test-subset")) : DataSplit.All(_test.Count);
        _trainEvalIndex = recipe.TrainEvalSize is { } k && k < _trainIndex.Length ? _trainIndex[..k] : _trainIndex;
        if (_trainIndex.Length < recipe.BatchSize)
            throw new ArgumentException($"{recipe.Dataset}: {_trainIndex.Length} training images make no full batch of {recipe.BatchSize} (batches drop the last partial one).");
        Augmentation = Ffcv(recipe.Dataset, _train);
        // Test images are normalised exactly as the training pipeline normalises (FFCV's statistics for CIFAR-10).
        _normalizeOnly = new AugmentationPipeline([Augmentation.Steps.OfType<NormalizeStep>().Single()]);
        _evalAugmentationSeed = Rng.ForKey(recipe.Seed, "zoo/train-eval-augmentation").NextUInt64();
        Shape = new DatasetShape(recipe.Dataset, [_train.Channels, _train.Height, _train.Width], _train.ClassCount);
    }

    public ZooRecipe Recipe { get; }
    public DatasetShape Shape { get; }
    public AugmentationPipeline Augmentation { get; }
    public int StepsPerEpoch => _trainIndex.Length / Recipe.BatchSize;

    public string Description =>
        $"{Recipe.Dataset} ({_trainIndex.Length:N0} train / {_testIndex.Length:N0} test images, {Augmentation.Describe()})";

    /// <summary>The metanet recipe's FFCV pipeline (paper E.3): CIFAR-10 exactly as the authors; other datasets fill with their own mean.</summary>
    public static AugmentationPipeline Ffcv(string dataset, ImageDataset data)
    {
        if (dataset == "cifar10") return AugmentationRecipes.MetanetFfcv;
        var fill = data.Stats.Mean;
        return new AugmentationPipeline(
        [
            new HorizontalFlipStep(), AugmentationPipeline.RandomTranslate(2, fill), new CutoutStep(4, fill), new NormalizeStep(data.Stats),
        ]);
    }

    /// <summary>Shuffled, augmented, drop-last training batches in the order of <paramref name="dataSeed"/>.</summary>
    public ImageLoader TrainLoader(ulong dataSeed) =>
        new(_train, new LoaderOptions { BatchSize = Recipe.BatchSize, DropLast = true, Augmentation = Augmentation }, new Rng(dataSeed), _trainIndex);

    /// <summary>
    /// The training loss (with <paramref name="labelSmoothing"/>) and accuracy on augmented training images, in a fixed
    /// order with a fixed augmentation seed: every call sees the same batches (the zoo's train loss, MLI's curves).
    /// </summary>
    public EvalResult TrainLoss(Model model, float labelSmoothing, CancellationToken cancel = default)
    {
        using var loader = new ImageLoader(_train, LoaderOptions.Eval(Recipe.EvalBatchSize) with { Augmentation = Augmentation },
            new Rng(_evalAugmentationSeed), _trainEvalIndex);
        return Trainer.Evaluate(model, loader, cancel: cancel, labelSmoothing: labelSmoothing) ?? throw new OperationCanceledException(cancel);
    }

    /// <summary>Plain cross-entropy and accuracy on the test images.</summary>
    public EvalResult Test(Model model, CancellationToken cancel = default)
    {
        using var loader = new ImageLoader(_test, LoaderOptions.Eval(Recipe.EvalBatchSize) with { Augmentation = _normalizeOnly }, new Rng(0), _testIndex);
        return Trainer.Evaluate(model, loader, cancel: cancel) ?? throw new OperationCanceledException(cancel);
    }
}
