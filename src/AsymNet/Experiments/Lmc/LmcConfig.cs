using System.Text.Json.Serialization;

namespace AsymNet.Experiments.Lmc;

[JsonConverter(typeof(JsonStringEnumConverter<LmcScale>))]
public enum LmcScale
{
    /// <summary>A documented reduction of the paper's recipe that runs in minutes on a laptop (docs/lmc.md).</summary>
    [JsonStringEnumMemberName("quick")] Quick,

    /// <summary>The paper's recipe and sizes (docs/paper.md#lmc).</summary>
    [JsonStringEnumMemberName("paper")] Paper,
}

/// <summary>
/// What the user asked for (`asym lmc` options). Null fields take the recipe's value for the model and scale;
/// <see cref="LmcRecipe.Resolve"/> turns this into a complete recipe.
/// </summary>
public sealed record LmcConfig
{
    /// <summary>mlp, resnet20, resnet20x8 or gnn.</summary>
    public string Model { get; init; } = "mlp";

    /// <summary>Dataset name (image: mnist10k, mnist, fashion-mnist, cifar10, cifar100; graph: fashion-knn, ogbn-arxiv).</summary>
    public string? Dataset { get; init; }

    public int? Pairs { get; init; }
    public IReadOnlyList<LmcVariant> Variants { get; init; } = LmcVariants.All;
    public int? Epochs { get; init; }

    /// <summary>P in λ ∈ linspace(0, 1, P).</summary>
    public int Points { get; init; } = 25;

    public ulong Seed { get; init; }
    public LmcScale Scale { get; init; } = LmcScale.Quick;

    /// <summary>Training examples per network (image models: a fixed random subset of the training split).</summary>
    public int? TrainSize { get; init; }

    /// <summary>Test examples evaluated (a fixed random subset of the test split).</summary>
    public int? TestSize { get; init; }

    /// <summary>Write both networks of every pair as safetensors checkpoints.</summary>
    public bool SaveCheckpoints { get; init; }
}
