using System.Text.Json;
using System.Text.Json.Serialization;

namespace AsymNet.Tensors;

/// <summary>The JSON shape of AsymNet's records on disk and on stdout: camelCase, indented, nulls written.</summary>
public static class JsonFormat
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
