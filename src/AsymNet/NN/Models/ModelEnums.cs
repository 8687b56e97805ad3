using System.Text.Json.Serialization;

namespace AsymNet.NN.Models;

[JsonConverter(typeof(JsonStringEnumConverter<Architecture>))]
public enum Architecture
{
    [JsonStringEnumMemberName("mlp")] Mlp,
    [JsonStringEnumMemberName("resnet")] ResNet,
    [JsonStringEnumMemberName("gnn")] Gnn,
    /// <summary>Metanetworks (inputs: a network's weights or their statistics; output: a predicted number).</summary>
    [JsonStringEnumMemberName("metanet-mlp")] MetanetMlp,
    [JsonStringEnumMemberName("dmc")] Dmc,
    [JsonStringEnumMemberName("deepsets")] DeepSets,
}

/// <summary>Which of the paper's three kinds of network a config describes (a label; the asymmetry list is what builds it).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Variant>))]
public enum Variant
{
    [JsonStringEnumMemberName("standard")] Standard,
    [JsonStringEnumMemberName("w")] W,
    [JsonStringEnumMemberName("sigma")] Sigma,
}

[JsonConverter(typeof(JsonStringEnumConverter<NormKind>))]
public enum NormKind
{
    [JsonStringEnumMemberName("none")] None,
    /// <summary>LayerNorm over features (MLPs).</summary>
    [JsonStringEnumMemberName("layer")] Layer,
    /// <summary>GroupNorm(1, C) (ResNets; the paper calls it LayerNorm).</summary>
    [JsonStringEnumMemberName("group")] Group,
    /// <summary>BatchNorm1d/2d.</summary>
    [JsonStringEnumMemberName("batch")] Batch,
}

/// <summary>The activation at sites without a FiGLU asymmetry.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ActivationKind>))]
public enum ActivationKind
{
    [JsonStringEnumMemberName("relu")] Relu,
    [JsonStringEnumMemberName("gelu")] Gelu,
}
