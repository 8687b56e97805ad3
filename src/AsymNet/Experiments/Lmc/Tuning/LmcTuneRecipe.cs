using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.Lmc.Tuning;

/// <summary>
/// What <c>asym lmc --tune</c> does (docs/lmc.md, Tuning; docs/paper.md#lmc-mlp-tuning): the LMC recipe it starts from
/// (whose hold-out is the validation split), the grid searched per kind of network, and how many pairs each cell
/// trains. The test run that follows is <see cref="Base"/> with the chosen values (<see cref="Final"/>).
/// </summary>
public sealed record LmcTuneRecipe
{
    /// <summary>Validation images held out of the quick MLP's 8,000 training images (paper scale keeps the authors' own
    /// 6,000 of 60,000).</summary>
    public const int QuickValidation = 1000;

    /// <summary>The LMC recipe: data, model, seed, points; <see cref="LmcRecipe.ValidHoldout"/> is the validation split,
    /// <see cref="LmcRecipe.Pairs"/> the test pairs.</summary>
    public required LmcRecipe Base { get; init; }

    public required LmcTuneGrid Grid { get; init; }

    /// <summary>Pairs trained per grid cell and kind of network (the cell's barrier is their mean).</summary>
    public required int SearchPairs { get; init; }

    /// <summary>The kinds of network searched: those of the requested variants (re-basin shares the standard's).</summary>
    [JsonIgnore]
    public IReadOnlyList<Variant> Families => [.. Base.Variants.Select(v => v.Family()).Distinct()];

    /// <summary>The seed the search pairs derive from: different from the test pairs' (<see cref="LmcRecipe.Seed"/>), so
    /// the test barriers come from networks the search never saw; every cell's pair k shares its seeds (a paired design).</summary>
    [JsonIgnore]
    public ulong SearchSeed => Tensors.Rng.ForKey(Base.Seed, "lmc-tune/search").NextUInt64();

    /// <summary>The variant whose validation barrier chooses the values of <paramref name="family"/>.</summary>
    public static LmcVariant Primary(Variant family) => family switch
    {
        Variant.Standard => LmcVariant.Standard,
        Variant.Sigma => LmcVariant.Sigma,
        Variant.W => LmcVariant.W,
        _ => throw new ArgumentOutOfRangeException(nameof(family)),
    };

    /// <summary>The base recipe's own values for <paramref name="family"/> (the untuned cell, when the grid has it).</summary>
    public LmcHyperparameters Defaults(Variant family) => new(family, Base.Epochs, Base.LearningRate, Base.WeightDecay);

    /// <summary>The test run's recipe: the base with the chosen values per kind of network.</summary>
    public LmcRecipe Final(IReadOnlyList<LmcHyperparameters> chosen) => Base with
    {
        Tuned = chosen,
        Notes = [.. Base.Notes, string.Create(CultureInfo.InvariantCulture,
            $"Tuned (asym lmc --tune): epochs, lr and weight decay per kind of network chosen by the lowest midpoint barrier on {Base.ValidHoldout:N0} validation images held out of the training data (seed 42), over the grid {Grid} with {SearchPairs} pair(s) per cell; every network trains on the remaining images. The search is in the parent folder's tune.csv.")],
    };

    /// <summary>What must match to resume a folder: the base recipe's identity, the grid and the pairs per cell.</summary>
    public string IdentityJson()
    {
        var o = JsonNode.Parse(Base.IdentityJson())!.AsObject();
        o["tuneGrid"] = Grid.ToString();
        o["tunePairs"] = SearchPairs;
        return o.ToJsonString(LmcJson.Options);
    }

    /// <summary>
    /// The tuning recipe for a config: the MLP's LMC recipe (the paper tuned only the MNIST MLP, E.1.1) with a
    /// validation hold-out (<paramref name="validation"/>, else the paper recipe's own, else <see cref="QuickValidation"/>),
    /// the grid (<see cref="LmcTuneGrid.Default"/> when null) and <paramref name="searchPairs"/> pairs per cell.
    /// </summary>
    public static LmcTuneRecipe Resolve(LmcConfig config, string? grid = null, int searchPairs = 1, int? validation = null)
    {
        if (!config.Model.Equals("mlp", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--tune follows the paper's tuning of the MNIST MLP (E.1.1, docs/paper.md#lmc-mlp-tuning); the {config.Model} recipe is the paper's fixed one. Use --model mlp (any image --dataset).");
        if (config.Epochs is not null) throw new ArgumentException("--tune searches the epochs itself (the grid's epochs=…); leave out --epochs.");
        if (searchPairs < 1) throw new ArgumentException($"--tune-pairs must be at least 1, got {searchPairs}.");
        if (validation is < 1) throw new ArgumentException($"--tune-valid must be at least 1, got {validation}.");
        var recipe = LmcRecipe.Resolve(config);
        var holdout = validation ?? (recipe.ValidHoldout > 0 ? recipe.ValidHoldout : QuickValidation);
        var defaults = LmcTuneGrid.Default(recipe);
        return new LmcTuneRecipe
        {
            Base = recipe with { ValidHoldout = holdout },
            Grid = grid is null ? defaults : LmcTuneGrid.Parse(grid, defaults),
            SearchPairs = searchPairs,
        };
    }

    public static LmcTuneRecipe FromJson(JsonNode config) =>
        config.Deserialize<LmcTuneRecipe>(LmcJson.Options) ?? throw new InvalidDataException("The tuning recipe JSON is null.");
}
