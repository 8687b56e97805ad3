using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AsymNet.NN.Models;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Metanet;

/// <summary>
/// How `asym metanet` trains the metanetworks of the paper's Table 3 on a zoo (docs/paper.md#metanet-training):
/// MSE on test accuracy, AdamW with weight decay 0.01, 50 epochs of batch 128, the learning rate chosen over the
/// paper's grid by validation R², then <see cref="Runs"/> seeded runs at that rate; test numbers at each run's
/// best-validation-R² epoch. The split is 50/25/25 by a seeded permutation of network indices, shared by every
/// variant of the zoo (a paired design).
/// </summary>
public sealed record MetanetRecipe
{
    public static readonly double[] PaperLearningRates = [1e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2];

    /// <summary>The zoo folder (absolute).</summary>
    public string Zoo { get; init; } = "";

    public IReadOnlyList<MetanetKind> Metanets { get; init; } = MetanetPresets.All;

    /// <summary>Zoo variants to fit (standard, w, sigma), each its own data set.</summary>
    public IReadOnlyList<string> Variants { get; init; } = ["standard", "w"];

    /// <summary>The grid the learning rate is chosen from; with one rate there is no selection.</summary>
    public IReadOnlyList<double> LearningRates { get; init; } = PaperLearningRates;

    public int Runs { get; init; } = 5;
    public int Epochs { get; init; } = 50;
    public int BatchSize { get; init; } = 128;
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Fractions of the networks for training and validation; the rest is the test split.</summary>
    public double TrainFraction { get; init; } = 0.5;
    public double ValidationFraction { get; init; } = 0.25;

    public ulong Seed { get; init; }

    public bool SelectsLearningRate => LearningRates.Count > 1;

    public static JsonSerializerOptions Json { get; } = new(JsonFormat.Options) { WriteIndented = false };

    public string IdentityJson() => JsonSerializer.Serialize(this, Json);

    public void Validate()
    {
        if (Metanets.Count == 0) throw new ArgumentException("--metanets names no metanet.");
        if (Variants.Count == 0) throw new ArgumentException("--variants names no variant.");
        if (LearningRates.Count == 0 || LearningRates.Any(r => !(r > 0) || !double.IsFinite(r))) throw new ArgumentException("--lrs must be positive numbers.");
        if (Runs < 1) throw new ArgumentException($"--runs must be at least 1, got {Runs}.");
        if (Epochs < 1) throw new ArgumentException($"--epochs must be at least 1, got {Epochs}.");
        if (BatchSize < 1) throw new ArgumentException($"--batch-size must be at least 1, got {BatchSize}.");
        if (!(TrainFraction > 0) || !(ValidationFraction > 0) || TrainFraction + ValidationFraction >= 1)
            throw new ArgumentException("The split needs train and validation fractions > 0 that leave a test split.");
    }

    public static string FormatLr(double lr) => lr.ToString("0.######", CultureInfo.InvariantCulture);
}

/// <summary>One training run of a metanet on a zoo variant: a learning-rate trial (<see cref="IsSelection"/>) or
/// one of the seeded runs at the chosen rate.</summary>
public sealed record MetanetJob(
    [property: JsonConverter(typeof(JsonStringEnumConverter<MetanetKind>))] MetanetKind Metanet,
    string Variant,
    double Lr,
    int Run,
    bool IsSelection)
{
    public string Name => IsSelection
        ? $"{MetanetPresets.Name(Metanet)} on {Variant}, lr {MetanetRecipe.FormatLr(Lr)} (selection)"
        : $"{MetanetPresets.Name(Metanet)} on {Variant}, run {Run} (lr {MetanetRecipe.FormatLr(Lr)})";

    public string Id => IsSelection
        ? $"select-{MetanetPresets.Name(Metanet)}-{Variant}-lr{MetanetRecipe.FormatLr(Lr)}"
        : $"run-{MetanetPresets.Name(Metanet)}-{Variant}-{Run}";
}
