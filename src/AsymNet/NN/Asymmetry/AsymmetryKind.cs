using System.Text.Json.Serialization;

namespace AsymNet.NN.Asymmetry;

/// <summary>How one layer breaks parameter symmetries (paper §4; docs/paper.md#w-asym, docs/paper.md#figlu).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AsymmetryKind>))]
public enum AsymmetryKind
{
    [JsonStringEnumMemberName("none")] None,

    /// <summary>W-Asym: nfix random entries of each output row / output channel are fixed to κ·F (authors' random_subsets).</summary>
    [JsonStringEnumMemberName("fixed-entries")] FixedEntries,

    /// <summary>W-Asym conv: nfix whole k×k input-channel slices of each output channel are fixed (filter_random_subsets).</summary>
    [JsonStringEnumMemberName("fixed-input-filters")] FixedInputFilters,

    /// <summary>σ-Asym: this activation site is FiGLU σ(x) = sigmoid(Fx)⊙x with a fixed random F.</summary>
    [JsonStringEnumMemberName("figlu")] FiGLU,
}
