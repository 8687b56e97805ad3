using System.Text.Json.Serialization;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.Lmc;

/// <summary>A column of the paper's Table 1: how the symmetries of the interpolated pair are (or are not) broken.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LmcVariant>))]
public enum LmcVariant
{
    /// <summary>Two standard networks, interpolated as trained.</summary>
    [JsonStringEnumMemberName("standard")] Standard,

    /// <summary>The same standard pair with the second network aligned to the first (Git Re-Basin weight matching;
    /// activation matching for the GNN).</summary>
    [JsonStringEnumMemberName("rebasin")] Rebasin,

    /// <summary>Two σ-Asymmetric (FiGLU) networks sharing their F matrices.</summary>
    [JsonStringEnumMemberName("sigma")] Sigma,

    /// <summary>Two W-Asymmetric networks sharing masks and F.</summary>
    [JsonStringEnumMemberName("w")] W,
}

public static class LmcVariants
{
    public static IReadOnlyList<LmcVariant> All { get; } = [LmcVariant.Standard, LmcVariant.Rebasin, LmcVariant.Sigma, LmcVariant.W];

    /// <summary>The CLI/CSV name.</summary>
    public static string Name(this LmcVariant v) => v switch
    {
        LmcVariant.Standard => "standard",
        LmcVariant.Rebasin => "rebasin",
        LmcVariant.Sigma => "sigma",
        LmcVariant.W => "w",
        _ => throw new ArgumentOutOfRangeException(nameof(v)),
    };

    /// <summary>The paper's column heading.</summary>
    public static string Label(this LmcVariant v) => v switch
    {
        LmcVariant.Standard => "Standard",
        LmcVariant.Rebasin => "Git Re-Basin",
        LmcVariant.Sigma => "σ-Asym",
        LmcVariant.W => "W-Asym",
        _ => throw new ArgumentOutOfRangeException(nameof(v)),
    };

    /// <summary>The kind of network trained for this column (re-basin reuses the standard pair).</summary>
    public static Variant Family(this LmcVariant v) => v switch
    {
        LmcVariant.Standard or LmcVariant.Rebasin => Variant.Standard,
        LmcVariant.Sigma => Variant.Sigma,
        LmcVariant.W => Variant.W,
        _ => throw new ArgumentOutOfRangeException(nameof(v)),
    };

    public static LmcVariant Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "standard" => LmcVariant.Standard,
        "rebasin" or "re-basin" or "git-rebasin" => LmcVariant.Rebasin,
        "sigma" or "σ" or "sigma-asym" => LmcVariant.Sigma,
        "w" or "w-asym" => LmcVariant.W,
        _ => throw new ArgumentException($"Unknown LMC variant '{name}'; use standard, rebasin, sigma or w."),
    };

    /// <summary>A comma-separated list, de-duplicated, in the paper's column order.</summary>
    public static IReadOnlyList<LmcVariant> ParseList(string list)
    {
        var parsed = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToHashSet();
        if (parsed.Count == 0) throw new ArgumentException("--variants needs at least one of standard, rebasin, sigma, w.");
        return All.Where(parsed.Contains).ToList();
    }
}
