using System.Text.Json;
using System.Text.Json.Serialization;
using AsymNet.NN.Asymmetry;

namespace AsymNet.NN.Models;

/// <summary>
/// A complete, serializable description of a model: architecture, sizes, asymmetry per layer and the architecture
/// seed from which masks and FiGLU matrices derive. Trainable weights come from a separate init seed passed to
/// <see cref="ModelFactory.Create"/>, so networks sharing a config share their fixed parts (LMC pairs, model zoos).
/// </summary>
public sealed record ModelConfig
{
    public Architecture Architecture { get; init; } = Architecture.Mlp;
    public Variant Variant { get; init; } = Variant.Standard;

    /// <summary>One input sample: [C, H, W] for images, [features] for vectors and graph nodes.</summary>
    public int[] InputShape { get; init; } = [1, 28, 28];
    public int Classes { get; init; } = 10;

    /// <summary>MLP: number of Linear layers (the authors' num_layers; the BNN "MLP-8" has 9). ResNet: 6n+2.
    /// GNN: number of message-passing layers (the head is extra).</summary>
    public int Depth { get; init; } = 4;

    /// <summary>Hidden width of MLP and GNN layers.</summary>
    public int Width { get; init; } = 512;

    /// <summary>ResNet channel multiplier: stages have round(16w), round(32w), round(64w) channels.</summary>
    public double WidthMultiplier { get; init; } = 1.0;

    public NormKind Norm { get; init; } = NormKind.Layer;
    public ActivationKind Activation { get; init; } = ActivationKind.Gelu;
    public WeightInit WeightInit { get; init; } = WeightInit.KaimingUniform;

    /// <summary>GNN dropout between message-passing layers.</summary>
    public double Dropout { get; init; }

    /// <summary>Asymmetric layers by name; layers not listed are standard.</summary>
    public IReadOnlyList<LayerAsymmetry> Asymmetry { get; init; } = [];

    /// <summary>The strength the preset's asymmetry was built with (null: the paper's tables); the per-layer values it
    /// gave are in <see cref="Asymmetry"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AsymmetryStrength? Strength { get; init; }

    /// <summary>Seed of every mask, F and FiGLU matrix (keyed by layer name).</summary>
    public ulong ArchitectureSeed { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ModelConfig FromJson(string json) =>
        JsonSerializer.Deserialize<ModelConfig>(json, JsonOptions) ?? throw new InvalidDataException("Model config JSON is null.");

    /// <summary>Value equality over every field, arrays and the asymmetry list included (records compare those by reference).</summary>
    public bool Equals(ModelConfig? other) => other is not null && ToJson() == other.ToJson();

    public override int GetHashCode() => ToJson().GetHashCode(StringComparison.Ordinal);

    /// <summary>The asymmetry of a layer, or null when it is standard.</summary>
    public LayerAsymmetry? AsymmetryOf(string layer) => Asymmetry.FirstOrDefault(a => a.Layer == layer);
}
