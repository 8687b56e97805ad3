using System.Globalization;
using System.Text.Json;
using AsymNet.Experiments.Lmc;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.Sweep;

/// <summary>
/// A complete sweep recipe: the LMC recipe every network trains with (its epochs are the cap), the grid, seeds per
/// cell, the training-accuracy threshold, whether a network stops there, and the interpolation points of the
/// barrier. Written to recipe.json; a rerun must resolve to the same recipe, except the grid (which only selects jobs).
/// </summary>
public sealed record SweepRecipe
{
    public required string Model { get; init; }
    public required SweepKind Kind { get; init; }
    public required LmcScale Scale { get; init; }
    public required LmcRecipe Training { get; init; }
    public required SweepGrid Grid { get; init; }
    public required int Seeds { get; init; }
    public required double Threshold { get; init; }
    public required bool StopAtThreshold { get; init; }
    public required int Points { get; init; }
    public required ulong Seed { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];

    public static IReadOnlyList<string> Models { get; } = ["mlp", "resnet20"];

    public Variant Family => Kind == SweepKind.W ? Variant.W : Variant.Sigma;

    public LmcVariant TrainingVariant => Kind == SweepKind.W ? LmcVariant.W : LmcVariant.Sigma;

    public IReadOnlyList<SweepCell> Cells() => Grid.Cells(Kind);

    public string IdentityJson() => JsonSerializer.Serialize(
        this with { Grid = new SweepGrid([], [], []), Notes = [], Training = Training with { Notes = [] } }, LmcJson.Options);

    /// <summary>
    /// Paper scale: W-Asym ResNet20 on CIFAR-10 with the LMC ResNet recipe (100 epochs as the cap), the Figure 6 grid,
    /// 70% training accuracy, 3 seeds per cell. Quick (default model: the MLP on the embedded MNIST subset): the quick
    /// LMC recipe of the model, full nfix against κ plus the nothing-fixed column, 2 seeds (docs/sweep.md gives the
    /// thresholds and why).
    /// </summary>
    public static SweepRecipe Resolve(SweepConfig config)
    {
        var paper = config.Scale == LmcScale.Paper;
        var model = config.Model?.ToLowerInvariant() ?? (paper ? "resnet20" : "mlp");
        if (!Models.Contains(model)) throw new ArgumentException($"--model must be one of {string.Join(", ", Models)}, not '{config.Model}'.");
        var sigma = config.Kind == SweepKind.Sigma;
        var resnet = model == "resnet20";
        var quickDataset = resnet ? "fashion-mnist" : null;
        var training = LmcRecipe.Resolve(new LmcConfig
        {
            Model = model, Scale = config.Scale, Dataset = config.Dataset ?? (paper ? null : quickDataset), Pairs = 1,
            Variants = [sigma ? LmcVariant.Sigma : LmcVariant.W], Epochs = config.Epochs ?? QuickCap(model, paper),
            TrainSize = config.TrainSize, TestSize = config.TestSize, Seed = config.Seed,
        });
        var width = resnet ? (int?)null : ModelPresets.Get(model, Variant.Sigma, null, 0).Width;
        var grid = config.Grid is { } spec ? SweepGrid.Parse(spec, config.Kind, width)
            : sigma ? new SweepGrid([], [], resnet ? [1, 0.25, 0.0625, 0.01] : [1, 0.5, 0.25, 1 / Math.Sqrt(width!.Value), 0.01 / Math.Sqrt(width.Value)])
            : paper ? SweepGrid.PaperW
            : resnet ? new SweepGrid([0, 1], [0, 0.75, 1.5, 2.25, 3], [])
            : new SweepGrid([0, 1], [0, 1, 2, 3], []);
        var threshold = config.Threshold ?? (paper && resnet ? 0.70 : resnet ? 0.80 : 0.97);
        if (threshold is <= 0 or > 1) throw new ArgumentException($"--threshold must be in (0, 1], got {threshold}.");
        var seeds = config.Seeds ?? (paper ? 3 : 2);
        if (seeds < 1) throw new ArgumentException($"--seeds must be at least 1, got {seeds}.");
        if (config.Points < 3) throw new ArgumentException($"--points must be at least 3 (λ = 0, ½, 1), got {config.Points}.");
        var ci = CultureInfo.InvariantCulture;
        return new SweepRecipe
        {
            Model = model, Kind = config.Kind, Scale = config.Scale, Training = training, Grid = grid, Seeds = seeds,
            Threshold = threshold, StopAtThreshold = config.StopAtThreshold ?? !sigma, Points = config.Points, Seed = config.Seed,
            Notes =
            [
                "Training accuracy is the fraction of the epoch's training examples a network classified correctly as it trained on them (train mode, augmentation included, the weights changing during the epoch), not a separate pass: the cheapest reading of the paper's unreleased measurement.",
                .. sigma ? Array.Empty<string>() : ["A multiplier of 0 fixes no entry, so κ does not matter there: that column is one cell (W-Asym layers with nothing fixed, kaiming-uniform init, as the authors' --n_mul 0 builds)."],
                "Every cell uses the same init and data-order seeds per seed index (common random numbers), so differences between cells come from the asymmetry, not the draw.",
                string.Create(ci, $"The barrier is the LMC midpoint test-loss barrier of the cell's first two networks (λ ∈ linspace(0, 1, {config.Points})), with the LMC experiment's interpolation code."),
                .. paper && resnet ? ["The paper's Figure 6 gives no code (the authors' script does not compute training accuracy); the grid and recipe are inferred: ResNet20 ×1 with the LMC CIFAR-10 recipe, n_mul and κ = 3·c_mul for c_mul ∈ {0, .25, .5, .75, 1}."] : Array.Empty<string>(),
            ],
        };
    }

    /// <summary>The epoch cap: the paper's 100 for ResNet20 (its training length), else the quick LMC recipe's length.</summary>
    private static int? QuickCap(string model, bool paper) => paper ? null : model == "resnet20" ? 8 : null;

    public string Describe()
    {
        var ci = CultureInfo.InvariantCulture;
        return string.Create(ci,
            $"{(Kind == SweepKind.W ? "W-Asym" : "σ-Asym")} {Model} on {Training.Dataset}: grid {Grid}, {Cells().Count} cell(s) × {Seeds} seed(s), threshold {100 * Threshold:0.#}% training accuracy " +
            $"({(StopAtThreshold ? "networks stop there" : "networks train every epoch")}), cap {Training.Epochs} epochs; {Training.Describe(TrainingVariant)}");
    }
}
