using System.Text.Json;
using System.Text.Json.Serialization;
using AsymNet.Bayes;
using AsymNet.NN.Models;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Bnn;

[JsonConverter(typeof(JsonStringEnumConverter<BnnScale>))]
public enum BnnScale
{
    /// <summary>A documented reduction on the embedded Fashion-MNIST (docs/bnn.md): minutes on two cores.</summary>
    [JsonStringEnumMemberName("quick")] Quick,

    /// <summary>The paper's recipe (docs/paper.md#bnn): CIFAR-10/100, 50 epochs, 10 runs.</summary>
    [JsonStringEnumMemberName("paper")] Paper,
}

/// <summary>One model of the experiment (a row pair of Table 2): the preset, its data and its variational settings.</summary>
public sealed record BnnModelRecipe
{
    /// <summary>Short name: mlp8, mlp16, resnet20, resnet110, resnet20-bn, resnet20-ln.</summary>
    public required string Name { get; init; }
    public required string Label { get; init; }

    /// <summary>The <see cref="ModelPresets"/> name.</summary>
    public required string Preset { get; init; }
    public required string Dataset { get; init; }
    public required double LearningRate { get; init; }
    public required ElrgOptions Posterior { get; init; }
}

/// <summary>
/// A complete BNN recipe (Table 2, Figure 4): every number that decides what is trained and evaluated. The run count only
/// selects jobs; everything else must match to resume a folder. Paper values and the quick reduction: docs/bnn.md.
/// </summary>
public sealed record BnnRecipe
{
    public required BnnScale Scale { get; init; }
    public required IReadOnlyList<BnnModelRecipe> Models { get; init; }
    public required IReadOnlyList<Variant> Variants { get; init; }
    public required int Runs { get; init; }
    public required int Epochs { get; init; }
    public required int BatchSize { get; init; }
    public required int EvalBatchSize { get; init; }

    /// <summary>Posterior samples per test image (the paper: 25).</summary>
    public required int TestSamples { get; init; }
    public required ulong Seed { get; init; }

    /// <summary>"none", "crop" (reflect-pad 4, random crop: the authors' MNIST loader) or "crop-flip" (then a horizontal
    /// flip: their CIFAR loader); per image, after normalisation.</summary>
    public required string Augmentation { get; init; }

    /// <summary>N_data of the KL weight = training examples × this (the authors: 8 for CIFAR's crops and flips, 4 for
    /// MNIST-like data's crops).</summary>
    public required int AugmentationMultiplier { get; init; }

    /// <summary>Training examples used (null: the whole training split); a fixed random subset.</summary>
    public int? TrainSize { get; init; }

    /// <summary>Test examples evaluated (null: the whole test split); a fixed random subset.</summary>
    public int? TestSize { get; init; }

    /// <summary>Steps of the rolling mean reported as the train loss (the paper's log_steps: 100).</summary>
    public int LossWindow { get; init; } = 100;

    /// <summary>The command line's overrides of every model's settings (null: the scale's); with the scale they fix
    /// each model's settings, so the model list itself only selects jobs.</summary>
    public string? DatasetOverride { get; init; }
    public int? RankOverride { get; init; }
    public bool LearnDiagonal { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Epoch of Table 2's "Test Acc (25 Epochs)" column: half of the epochs.</summary>
    public int HalfEpoch => Math.Max(1, Epochs / 2);

    public static JsonSerializerOptions Json { get; } = new(JsonFormat.Options)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>What must match to resume a folder: everything but the run count and the model and variant lists (each
    /// model's settings follow from the scale and the overrides, so a folder can gather its models from several runs).</summary>
    public string IdentityJson() => JsonSerializer.Serialize(this with { Runs = 0, Models = [], Variants = [], Notes = [] }, Json);

    public static IReadOnlyList<string> ModelNames { get; } = ["mlp8", "mlp16", "resnet20", "resnet110", "resnet20-bn", "resnet20-ln"];

    /// <summary>The recipe for the options: the scale's values, then the explicit overrides.</summary>
    public static BnnRecipe Resolve(BnnConfig config)
    {
        var paper = config.Scale == BnnScale.Paper;
        if (config.Variants.Count == 0) throw new ArgumentException("At least one variant is needed.");
        if (config.Variants.Contains(Variant.Sigma)) throw new ArgumentException("The BNN experiment compares standard and W-Asym networks (variants standard, w).");
        if (config.Runs is < 1) throw new ArgumentException($"--runs must be at least 1, got {config.Runs}.");
        if (config.Epochs is < 1) throw new ArgumentException($"--epochs must be at least 1, got {config.Epochs}.");
        if (config.Rank is < 0) throw new ArgumentException($"--rank must be ≥ 0, got {config.Rank}.");
        if (config.TestSamples is < 1) throw new ArgumentException($"--samples must be at least 1, got {config.TestSamples}.");
        if (config.TrainSize is < 1 || config.TestSize is < 1) throw new ArgumentException("--train-size and --test-size must be positive.");
        var names = config.Models.Count > 0 ? config.Models : paper ? ModelNames : ["mlp8", "mlp16"];
        var models = names.Select(m => Model(m, paper, config.Dataset)).ToList();
        if (config.Rank is { } rank) models = models.Select(m => m with { Posterior = m.Posterior with { Rank = rank } }).ToList();
        if (config.LearnDiagonal) models = models.Select(m => m with { Posterior = m.Posterior with { LearnDiagonal = true } }).ToList();
        var cifar = models.All(m => m.Dataset.StartsWith("cifar", StringComparison.Ordinal));
        return new BnnRecipe
        {
            Scale = config.Scale, Models = models, Variants = config.Variants, Runs = config.Runs ?? (paper ? 10 : 1),
            Epochs = config.Epochs ?? (paper ? 50 : 2), BatchSize = 250, EvalBatchSize = 250, TestSamples = config.TestSamples ?? Predictive.PaperSamples,
            Seed = config.Seed, Augmentation = cifar ? "crop-flip" : "crop", AugmentationMultiplier = cifar ? 8 : 4,
            DatasetOverride = config.Dataset?.ToLowerInvariant(), RankOverride = config.Rank, LearnDiagonal = config.LearnDiagonal,
            TrainSize = config.TrainSize ?? (paper ? null : 8_000), TestSize = config.TestSize ?? (paper ? null : 500),
            Notes = paper
                ? ["The paper reports 50 epochs; the authors' ResNet script defaults to 25 (5,000 updates). 50 are used, and Table 2's half-epoch column is read at epoch 25.",
                   "Conv low-rank noise uses the consistent (rank, C_out) layout, not the authors' interleaved reshape; see docs/bnn.md."]
                : ["Quick scale: Fashion-MNIST (no CIFAR here), 8,000 training / 500 test images, 2 epochs, 1 run, the authors' MNIST augmentation (reflect-pad 4 + crop, N_data = 4 × 8,000); the MLPs keep the paper's width, depth, optimiser and posterior."],
        };
    }

    /// <summary>The paper's settings per model (docs/paper.md#bnn): MLPs Adam 5e-4, log s −10, prior precision 0.01;
    /// ResNets Adam 1e-3, log s −12, prior precision 1; rank 4, fixed diagonal.</summary>
    private static BnnModelRecipe Model(string name, bool paper, string? dataset)
    {
        var mlp = new ElrgOptions { Rank = 4, InitLogVariance = -10, PriorPrecision = 0.01 };
        var resnet = new ElrgOptions { Rank = 4, InitLogVariance = -12, PriorPrecision = 1.0 };
        var quickData = paper ? null : "fashion-mnist";
        var m = name.ToLowerInvariant() switch
        {
            "mlp8" => Spec("mlp8", "MLP-8", "bnn-mlp8", "cifar10", 5e-4, mlp),
            "mlp16" => Spec("mlp16", "MLP-16", "bnn-mlp16", "cifar10", 5e-4, mlp),
            "resnet20" => Spec("resnet20", "ResNet20", "bnn-resnet20", "cifar10", 1e-3, resnet),
            "resnet110" => Spec("resnet110", "ResNet110", "bnn-resnet110", "cifar10", 1e-3, resnet),
            "resnet20-bn" => Spec("resnet20-bn", "ResNet20 (BN)", "bnn-resnet20x2-bn", "cifar100", 1e-3, resnet),
            "resnet20-ln" => Spec("resnet20-ln", "ResNet20 (LN)", "bnn-resnet20x2-ln", "cifar100", 1e-3, resnet),
            _ => throw new ArgumentException($"Unknown BNN model '{name}'; use {string.Join(", ", ModelNames)}."),
        };
        return m with { Dataset = dataset?.ToLowerInvariant() ?? quickData ?? m.Dataset };

        static BnnModelRecipe Spec(string n, string label, string preset, string data, double lr, ElrgOptions posterior) =>
            new() { Name = n, Label = label, Preset = preset, Dataset = data, LearningRate = lr, Posterior = posterior };
    }

    /// <summary>A named seed of one job (init, data order, noise, V init, architecture), keyed by the run seed.</summary>
    public ulong SeedFor(BnnJob job, string what) => Rng.ForKey(Seed, $"bnn/{job.Model}/{job.VariantName}/run{job.Run}/{what}").NextUInt64();
}

/// <summary>The command line's choices before the scale fills in the rest.</summary>
public sealed record BnnConfig
{
    public BnnScale Scale { get; init; }
    /// <summary>Empty: the scale's (quick: the two MLPs; paper: every model of Table 2).</summary>
    public IReadOnlyList<string> Models { get; init; } = [];
    public IReadOnlyList<Variant> Variants { get; init; } = [Variant.Standard, Variant.W];
    public int? Runs { get; init; }
    public int? Epochs { get; init; }
    public int? Rank { get; init; }
    public bool LearnDiagonal { get; init; }
    public int? TestSamples { get; init; }
    public string? Dataset { get; init; }
    public int? TrainSize { get; init; }
    public int? TestSize { get; init; }
    public ulong Seed { get; init; }
}
