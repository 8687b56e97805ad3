using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.Zoo;

[JsonConverter(typeof(JsonStringEnumConverter<ZooScale>))]
public enum ZooScale
{
    [JsonStringEnumMemberName("quick")] Quick,
    [JsonStringEnumMemberName("paper")] Paper,
}

/// <summary>
/// The distributions of the per-network hyperparameters (paper Table 8): lr = LrScale·10^(−U(0, LrDecades)),
/// weight decay = 10^(−U(−WdMaxExponent, −WdMinExponent)), label smoothing = U(0, LabelSmoothingMax), epochs uniform
/// on EpochsMin..EpochsMax inclusive.
/// </summary>
public sealed record HyperparameterRanges
{
    public double LrScale { get; init; } = 0.5;
    public double LrDecades { get; init; } = 2;
    public double WdMinExponent { get; init; } = -5;
    public double WdMaxExponent { get; init; } = -1;
    public double LabelSmoothingMax { get; init; } = 0.2;
    public required int EpochsMin { get; init; }
    public required int EpochsMax { get; init; }

    /// <summary>The mean of the epochs' uniform distribution: the expected length of a zoo network (a method, so that
    /// recipe.json does not change).</summary>
    public double MeanEpochs() => (EpochsMin + EpochsMax) / 2.0;

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"lr {LrScale}·10^−U(0,{LrDecades}), wd 10^U({WdMinExponent},{WdMaxExponent}), label smoothing U(0,{LabelSmoothingMax}), epochs {EpochsMin}..{EpochsMax}");
}

/// <summary>
/// A complete zoo recipe: every number that decides which networks are trained and how (the metanet dataset recipe,
/// <c>docs/paper.md#zoo</c>). It is written to recipe.json; a rerun of a folder must resolve to the same recipe except
/// for the number of networks and the variants, which only select jobs.
/// </summary>
public sealed record ZooRecipe
{
    public const string Model = "resnet8";

    public required string Dataset { get; init; }
    public required ZooScale Scale { get; init; }
    public required ulong Seed { get; init; }

    /// <summary>Networks per variant: rows 0..Networks−1 of the hyperparameter table.</summary>
    public required int Networks { get; init; }
    public required IReadOnlyList<Variant> Variants { get; init; }

    public required HyperparameterRanges Ranges { get; init; }
    public required int BatchSize { get; init; }
    public required int EvalBatchSize { get; init; }

    /// <summary>The triangular schedule's peak (in epochs): 0 at the first step, 1 at the peak, 0 at the end.</summary>
    public required double PeakEpoch { get; init; }

    /// <summary>Training images (a fixed random subset shared by every network; null: the whole training set).</summary>
    public int? TrainSize { get; init; }

    /// <summary>Test images evaluated (a fixed random subset; null: the whole test set).</summary>
    public int? TestSize { get; init; }

    /// <summary>Training images of the final train-loss evaluation (the first ones of the training subset; null: all).</summary>
    public int? TrainEvalSize { get; init; }

    /// <summary>Black pixels added on every side of every image before augmentation (quick: 2, so that Fashion-MNIST's
    /// 28×28 becomes CIFAR-10's 32×32 and the ResNet8 planes 32/16/8 take the direct convolution kernels).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] // unpadded recipes keep their earlier JSON (resume)
    public int Pad { get; init; }

    /// <summary>The network's input: the dataset's images after <see cref="Pad"/>.</summary>
    public DatasetShape Shape()
    {
        var d = Training.TrainExperiment.ShapeOf(Dataset);
        return d with { InputShape = [d.InputShape[0], d.InputShape[1] + 2 * Pad, d.InputShape[2] + 2 * Pad] };
    }

    /// <summary>Why this recipe differs from the paper, one line per choice.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Training images per epoch (the subset, or the dataset's training split), for plans made without the data.</summary>
    public int TrainImages => TrainSize ?? Dataset switch
    {
        "cifar10" or "cifar100" => 50_000,
        "mnist" or "fashion-mnist" => 60_000,
        "mnist10k" => 8_000,
        _ => throw new ArgumentException($"Unknown image dataset '{Dataset}'."),
    };

    public int StepsPerEpoch => TrainImages / BatchSize;

    public static IReadOnlyList<Variant> DefaultVariants { get; } = [Variant.Standard, Variant.W];

    /// <summary>The recipe without the fields that only select jobs: what must match to resume a folder.</summary>
    public string IdentityJson() => JsonSerializer.Serialize(this with { Networks = 0, Variants = [], Notes = [] }, ZooJson.Options);

    public string ToJson() => JsonSerializer.Serialize(this, ZooJson.Options);

    /// <summary>
    /// The paper's recipe (CIFAR-10, batch 512, 10,000 networks, epochs 10..40, peak at epoch 5) or the quick one: the
    /// full Fashion-MNIST-sized reduction documented in docs/zoo.md (a 2,048-image training subset, batch 128, epochs
    /// 2..6 peaking at epoch 1, 100 networks per zoo). The hyperparameter ranges of lr, weight decay and label smoothing
    /// are the paper's at both scales.
    /// </summary>
    public static ZooRecipe Resolve(ZooScale scale, ulong seed = 0, int? networks = null, IReadOnlyList<Variant>? variants = null,
        string? dataset = null, int? trainSize = null, int? testSize = null)
    {
        var paper = scale == ZooScale.Paper;
        var recipe = paper
            ? new ZooRecipe
            {
                Dataset = "cifar10", Scale = scale, Seed = seed, Networks = 10_000, Variants = DefaultVariants,
                Ranges = new HyperparameterRanges { EpochsMin = 10, EpochsMax = 40 }, BatchSize = 512, EvalBatchSize = 1000, PeakEpoch = 5,
                Notes =
                [
                    "float32 throughout (the authors train under fp16 autocast with a GradScaler).",
                    "Every network of a zoo shares one architecture seed: the same W-Asym masks and F (the authors load saved masks) and the same FiGLU matrices (the authors' differ per process).",
                ],
            }
            : new ZooRecipe
            {
                Dataset = "fashion-mnist", Scale = scale, Seed = seed, Networks = 100, Variants = DefaultVariants,
                Ranges = new HyperparameterRanges { EpochsMin = 2, EpochsMax = 6 }, BatchSize = 128, EvalBatchSize = 1000, PeakEpoch = 1,
                TrainSize = 2048, TestSize = 2000, TrainEvalSize = 1024, Pad = 2,
                Notes =
                [
                    "Quick: Fashion-MNIST (1×28×28, padded with 2 black pixels per side to CIFAR-10's 32×32) instead of CIFAR-10; a fixed 2,048-image training subset, batch 128 (16 steps per epoch, drop-last), epochs 2..6 peaking at epoch 1 instead of 10..40 peaking at 5; 100 networks per zoo instead of 10,000; test on 2,000 images, train loss on 1,024. The lr, weight-decay and label-smoothing ranges are the paper's.",
                    "float32 throughout (the authors train under fp16 autocast with a GradScaler).",
                    "Every network of a zoo shares one architecture seed: the same W-Asym masks and F (the authors load saved masks) and the same FiGLU matrices (the authors' differ per process).",
                ],
            };
        if (networks is < 1) throw new ArgumentException($"--networks must be at least 1, got {networks}.");
        if (trainSize is < 1 || testSize is < 1) throw new ArgumentException("--train-size and --test-size must be positive.");
        if (variants is { Count: 0 }) throw new ArgumentException("At least one variant is needed.");
        return recipe with
        {
            Networks = networks ?? recipe.Networks,
            Variants = variants ?? recipe.Variants,
            Dataset = dataset?.ToLowerInvariant() ?? recipe.Dataset,
            TrainSize = trainSize ?? recipe.TrainSize,
            TestSize = testSize ?? recipe.TestSize,
            TrainEvalSize = trainSize is { } t && recipe.TrainEvalSize is { } e ? Math.Min(t, e) : recipe.TrainEvalSize,
        };
    }

    /// <summary>"standard,w,sigma" → variants (also "w-asym", "sigma-asym", "σ").</summary>
    public static IReadOnlyList<Variant> ParseVariants(string text)
    {
        var list = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ModelFactory.ParseVariant).Distinct().ToList();
        if (list.Count == 0) throw new ArgumentException("--variants needs at least one of standard, w, sigma.");
        return list;
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"ResNet8 on {Dataset}{(Pad > 0 ? $" padded by {Pad}" : "")} ({TrainSize?.ToString("N0", CultureInfo.InvariantCulture) ?? "all"} training images), AdamW, batch {BatchSize} (drop-last), " +
        $"triangular lr peaking at epoch {PeakEpoch}, flip + translate 2 + cutout 4 per image; {Ranges.Describe()}");
}

/// <summary>JSON settings of the zoo's files (job results, recipe).</summary>
public static class ZooJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
