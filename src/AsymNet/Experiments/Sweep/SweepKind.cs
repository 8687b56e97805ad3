using System.Text.Json.Serialization;

namespace AsymNet.Experiments.Sweep;

/// <summary>What a sweep varies: W-Asym (nfix multiplier × κ, paper Figure 6) or σ-Asym (FiGLU's F std).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SweepKind>))]
public enum SweepKind
{
    [JsonStringEnumMemberName("w")] W,
    [JsonStringEnumMemberName("sigma")] Sigma,
}
