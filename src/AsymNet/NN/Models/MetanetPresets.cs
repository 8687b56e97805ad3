using System.Text.Json.Serialization;

namespace AsymNet.NN.Models;

/// <summary>The four metanetworks of the paper's Table 3.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MetanetKind>))]
public enum MetanetKind
{
    [JsonStringEnumMemberName("mlp")] Mlp,
    [JsonStringEnumMemberName("dmc")] Dmc,
    [JsonStringEnumMemberName("deepsets")] DeepSets,
    [JsonStringEnumMemberName("statnn")] StatNN,
}

/// <summary>
/// Configs of the paper's metanetworks (Table 9; the authors' metanet/models.py with their defaults): MLP hidden 64;
/// DMC hidden 64 with 10 convolutions; DeepSets hidden 64 with 3 layers after pooling; StatNN hidden 256 over
/// <see cref="StatNNFeatures"/>. Each predicts one number.
/// </summary>
public static class MetanetPresets
{
    public static IReadOnlyList<MetanetKind> All { get; } = Enum.GetValues<MetanetKind>();

    /// <summary>The metanet of <paramref name="kind"/> for networks of <paramref name="weightCount"/> input numbers
    /// and <paramref name="tensorCount"/> weight tensors (StatNN reads 7 statistics of each).</summary>
    public static ModelConfig Config(MetanetKind kind, int weightCount, int tensorCount) => kind switch
    {
        MetanetKind.Mlp => Base(Architecture.MetanetMlp, weightCount) with { Width = 64, Depth = 2 },
        MetanetKind.Dmc => Base(Architecture.Dmc, weightCount) with { Width = 64, Depth = 10 },
        MetanetKind.DeepSets => Base(Architecture.DeepSets, weightCount) with { Width = 64, Depth = 3 },
        MetanetKind.StatNN => Base(Architecture.MetanetMlp, StatNNFeatures.PerTensor * tensorCount) with { Width = 256, Depth = 3 },
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown metanet."),
    };

    public static MetanetKind Parse(string name) => name.ToLowerInvariant() switch
    {
        "mlp" => MetanetKind.Mlp,
        "dmc" => MetanetKind.Dmc,
        "deepsets" => MetanetKind.DeepSets,
        "statnn" => MetanetKind.StatNN,
        _ => throw new ArgumentException($"Unknown metanet '{name}'; use mlp, dmc, deepsets or statnn."),
    };

    public static string Name(MetanetKind kind) => kind switch
    {
        MetanetKind.Mlp => "mlp",
        MetanetKind.Dmc => "dmc",
        MetanetKind.DeepSets => "deepsets",
        _ => "statnn",
    };

    private static ModelConfig Base(Architecture architecture, int inputs) => new()
    {
        Architecture = architecture,
        InputShape = [inputs],
        Classes = 1,
        Norm = NormKind.Layer,
        Activation = ActivationKind.Relu,
        WeightInit = WeightInit.KaimingUniform,
    };
}
