using AsymNet.Data;
using AsymNet.NN.Models;
using AsymNet.NN.Training;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Lmc;

/// <summary>
/// LMC on an image dataset: the recipe's hold-out (seed 42, as the authors' random_split), then fixed random train
/// and test subsets when the recipe asks for them (keyed by the run seed, shared by every network of the run).
/// Networks train with <see cref="Trainer"/>; the test loss is the mean cross-entropy over the test images.
/// </summary>
public sealed class ImageLmcTask : ILmcTask
{
    private readonly LmcRecipe _recipe;
    private readonly ImageDataset _train;
    private readonly ImageDataset _test;
    private readonly int[] _trainIndex;
    private readonly int[] _testIndex;
    private readonly AugmentationPipeline _augmentation;
    private readonly AugmentationPipeline _normalizeOnly;
    private readonly ThreadLocal<ImageLoader> _testLoader;

    public ImageLmcTask(LmcRecipe recipe, DataPaths paths) : this(recipe, Datasets.LoadImages(recipe.Dataset, paths)) { }

    /// <param name="recipe">The recipe.</param>
    /// <param name="data">Training and test split.</param>
    /// <param name="validation">Evaluate on the recipe's hold-out (the validation split carved from the training data)
    /// instead of the test split: what <c>asym lmc --tune</c> measures its search on. Training is unchanged.</param>
    public ImageLmcTask(LmcRecipe recipe, (ImageDataset Train, ImageDataset Test) data, bool validation = false)
    {
        _recipe = recipe;
        (_train, _test) = (data.Train.Padded(recipe.Pad), data.Test.Padded(recipe.Pad));
        var trainIndex = DataSplit.All(_train.Count);
        var validIndex = Array.Empty<int>();
        if (recipe.ValidHoldout > 0)
        {
            if (recipe.ValidHoldout >= _train.Count)
                throw new ArgumentException($"{recipe.Dataset} has {_train.Count} training images; the recipe holds out {recipe.ValidHoldout}.");
            (trainIndex, validIndex) = DataSplit.HoldOut(_train.Count, recipe.ValidHoldout, new Rng(42));
        }
        if (validation && validIndex.Length == 0) throw new ArgumentException($"The {recipe.Model} recipe holds out no validation images to evaluate on.");
        _trainIndex = recipe.TrainSize is { } n ? DataSplit.Subset(trainIndex, n, Rng.ForKey(recipe.Seed, "lmc/train-subset")) : trainIndex;
        if (validation) (_test, _testIndex) = (_train, validIndex);
        else _testIndex = recipe.TestSize is { } m ? DataSplit.Subset(DataSplit.All(_test.Count), m, Rng.ForKey(recipe.Seed, "lmc/test-subset")) : DataSplit.All(_test.Count);
        var stats = recipe.Normalization switch
        {
            "imagenet" when _train.Channels == 3 => NormalizationStats.ImageNet,
            _ => _train.Stats,
        };
        _normalizeOnly = AugmentationPipeline.NormalizeOnly(stats);
        _augmentation = recipe.Augmentation switch
        {
            "none" => _normalizeOnly,
            "flip" => new AugmentationPipeline([new NormalizeStep(stats), new HorizontalFlipStep()]),
            "flip-crop" => new AugmentationPipeline([new NormalizeStep(stats), new HorizontalFlipStep(), new RandomCropStep(4)]),
            _ => throw new ArgumentException($"Unknown augmentation '{recipe.Augmentation}'."),
        };
        Shape = new DatasetShape(recipe.Dataset, [_train.Channels, _train.Height, _train.Width], _train.ClassCount);
        // One test loader per thread: jobs may run side by side (threading policy runs), and a loader is one stream.
        _testLoader = new ThreadLocal<ImageLoader>(
            () => new ImageLoader(_test, LoaderOptions.Eval(recipe.EvalBatchSize) with { Augmentation = _normalizeOnly }, new Rng(0), _testIndex),
            trackAllValues: true);
    }

    public DatasetShape Shape { get; }

    /// <summary>The training images networks train on (indices into the training split).</summary>
    public IReadOnlyList<int> TrainIndices => _trainIndex;

    /// <summary>The images evaluated: the test split, or with validation the training split (indices into it).</summary>
    public (ImageDataset Set, IReadOnlyList<int> Indices) Evaluation => (_test, _testIndex);

    public string Description =>
        $"{_recipe.Dataset} ({_trainIndex.Length:N0} train / {_testIndex.Length:N0} {(ReferenceEquals(_test, _train) ? "validation" : "test")} images, augmentation {_augmentation.Describe()})";

    public int StepsPerEpoch => (_trainIndex.Length + _recipe.BatchSize - 1) / _recipe.BatchSize;

    public LmcTrainOutcome Train(Model model, LmcVariant family, ulong dataSeed, Action<LmcEpochProgress>? progress, CancellationToken cancel) =>
        Train(model, family, dataSeed, progress, cancel, stopWhen: null);

    /// <summary>Trains as the recipe says; <paramref name="stopWhen"/> ends training after the first epoch that meets it
    /// (the Trainer's StopWhen), e.g. a training-accuracy threshold.</summary>
    public LmcTrainOutcome Train(Model model, LmcVariant family, ulong dataSeed, Action<LmcEpochProgress>? progress, CancellationToken cancel,
                                 Func<EpochMetrics, bool>? stopWhen)
    {
        var recipe = _recipe.For(family.Family());
        var trainer = new Trainer(model, LmcTasks.Optimizer(recipe, model),
            new TrainOptions { Epochs = recipe.Epochs, LearningRate = recipe.LearningRate, Schedule = recipe.ScheduleFor(family), StopWhen = stopWhen });
        using var loader = new ImageLoader(_train, new LoaderOptions { BatchSize = _recipe.BatchSize, Augmentation = _augmentation }, new Rng(dataSeed), _trainIndex);
        var epochs = new List<LmcEpochProgress>();
        var result = trainer.Fit(loader, null, null, m =>
        {
            epochs.Add(new LmcEpochProgress(m.Epoch, recipe.Epochs, m.TrainLoss, m.LearningRate, m.TrainAccuracy));
            progress?.Invoke(epochs[^1]);
        }, cancel);
        cancel.ThrowIfCancellationRequested();
        return new LmcTrainOutcome(result.Status == TrainStatus.Diverged, result.Message, result.Last?.TrainLoss ?? double.NaN, epochs);
    }

    public (double Loss, double Accuracy) Evaluate(Model model)
    {
        var r = Trainer.Evaluate(model, _testLoader.Value!) ?? throw new OperationCanceledException();
        return (r.Loss, r.Accuracy);
    }

    public IEnumerable<ModelInput> StatisticsBatches()
    {
        using var loader = new ImageLoader(_train, new LoaderOptions { BatchSize = _recipe.BatchSize, Augmentation = _normalizeOnly, Prefetch = false },
            Rng.ForKey(_recipe.Seed, "lmc/statistics"), _trainIndex);
        foreach (var batch in loader.Epoch().Take(_recipe.StatisticsBatches)) yield return batch.Images;
    }

    public string Align(Model a, Model b, Rng rng) => LmcAlignment.WeightMatching(a, b, rng);

    public (double StepSeconds, double EvalSeconds) Measure(Model model)
    {
        var trainer = new Trainer(model, LmcTasks.Optimizer(_recipe, model), new TrainOptions { LearningRate = 0 });
        using var loader = new ImageLoader(_train, new LoaderOptions { BatchSize = _recipe.BatchSize, Augmentation = _augmentation, Prefetch = false }, new Rng(0), _trainIndex);
        // Early steps run before the JIT's optimised code and the pool are warm: time up to 20 steps (at most about
        // two seconds' worth) and take the median of the later half; evaluations likewise, the fastest of three.
        var batches = loader.Epoch().GetEnumerator();
        var step = LmcStatistics.TimeRepeated(() =>
        {
            if (!batches.MoveNext())
            {
                batches = loader.Epoch().GetEnumerator();
                batches.MoveNext();
            }
            trainer.TrainStep(batches.Current.Images, batches.Current.Labels);
        });
        var first = _testIndex.Chunk(_recipe.EvalBatchSize).First();
        using var one = new ImageLoader(_test, LoaderOptions.Eval(_recipe.EvalBatchSize) with { Augmentation = _normalizeOnly, Prefetch = false }, new Rng(0), first);
        var eval = LmcStatistics.TimeRepeated(() => Trainer.Evaluate(model, one), maxRuns: 4);
        return (step, eval * Math.Ceiling(_testIndex.Length / (double)_recipe.EvalBatchSize));
    }

    public void Dispose()
    {
        foreach (var loader in _testLoader.Values) loader.Dispose();
        _testLoader.Dispose();
    }
}
