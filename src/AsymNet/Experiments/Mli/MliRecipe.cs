using System.Text.Json;
using AsymNet.Experiments.Zoo;

namespace AsymNet.Experiments.Mli;

/// <summary>
/// An MLI recipe (paper Table 4, <c>docs/paper.md#mli</c>): the zoo recipe its networks are trained with (or were, in
/// the zoo folder <see cref="ZooDir"/>), and the number of points α = linspace(0, 1, Points) of each curve θ₀ → θ_T.
/// </summary>
public sealed record MliRecipe
{
    public required ZooRecipe Zoo { get; init; }
    public int Points { get; init; } = 25;

    /// <summary>A zoo folder whose networks (θ₀ and θ_T) are measured instead of training new ones; null: train them.</summary>
    public string? ZooDir { get; init; }

    /// <summary>One curve's work in training steps, for the plan: Points evaluations of the train-loss images, a forward
    /// pass costing about a third of a training step per image.</summary>
    public double CurveSteps => Points * (Zoo.TrainEvalSize ?? Zoo.TrainImages) / (3.0 * Zoo.BatchSize);

    public string IdentityJson() =>
        JsonSerializer.Serialize(this with { Zoo = Zoo with { Networks = 0, Variants = [], Notes = [] } }, ZooJson.Options);

    /// <summary>
    /// The paper's MLI (300 networks per variant on CIFAR-10 with the zoo recipe) or the quick one: the quick zoo recipe
    /// with 12 networks per variant, so that a t-test compares 12 against 12, and curves measured on 512 training images
    /// (docs/mli.md).
    /// </summary>
    public static MliRecipe Resolve(ZooScale scale, ulong seed = 0, int? networks = null, string? dataset = null, int? trainSize = null, int? testSize = null,
        IReadOnlyList<NN.Models.Variant>? variants = null, int points = 25)
    {
        if (points < 3) throw new ArgumentException($"--points must be at least 3 (one interior point), got {points}.");
        var zoo = ZooRecipe.Resolve(scale, seed, networks ?? (scale == ZooScale.Paper ? 300 : 12),
            variants ?? [NN.Models.Variant.Standard, NN.Models.Variant.Sigma, NN.Models.Variant.W], dataset, trainSize, testSize);
        if (scale == ZooScale.Quick && trainSize is null) zoo = zoo with { TrainEvalSize = 512, Notes = [.. zoo.Notes, "Quick MLI: 12 networks per variant instead of 300; train loss (and every curve point) on 512 augmented training images instead of the whole training set."] };
        return new MliRecipe { Zoo = zoo, Points = points };
    }
}
