using System.Text.Json.Serialization;

namespace AsymNet.NN;

/// <summary>How Linear/Conv weights start (biases always use U(±1/√fan_in), norms weight 1 and bias 0).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WeightInit>))]
public enum WeightInit
{
    /// <summary>PyTorch's default kaiming_uniform_(a=√5) = U(±1/√fan_in): MLPs and the authors' W-Asym layers.</summary>
    [JsonStringEnumMemberName("kaiming-uniform")] KaimingUniform,

    /// <summary>kaiming_normal_ N(0, 2/fan_in): the authors' standard and σ-Asym ResNets.</summary>
    [JsonStringEnumMemberName("kaiming-normal")] KaimingNormal,
}
