using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// One repetition of one side of one workload: the tidy unit of <c>asym bench --csv</c>. <see cref="PeakMemoryMb"/>: the
/// process's peak resident set during the repetition; <see cref="BaseMemoryMb"/>: its resident set when the repetition
/// started (see <see cref="PeakMemory"/>).
/// </summary>
public sealed record BenchObservation(string Workload, string Side, int Rep, string Setting, double Value, string Unit, double? Accuracy,
    double? PeakMemoryMb = null, double? BaseMemoryMb = null, string? Detail = null);

/// <summary>
/// One workload's summary: medians over the repetitions of AsymNet and of PyTorch's best setting, and their ratio
/// (above 1: AsymNet is faster).
/// </summary>
public sealed record BenchRow(
    string Workload, string Description, string Unit,
    double? AsymMedian, string? AsymSetting, double? AsymAccuracy,
    double? TorchMedian, string? TorchSetting, double? TorchAccuracy,
    double? Ratio, string? Note, double? AsymPeakMemoryMb = null, double? TorchPeakMemoryMb = null,
    double? AsymAddedMemoryMb = null, double? TorchAddedMemoryMb = null);

/// <summary>Everything one <c>asym bench</c> invocation measured, with the environment it ran in.</summary>
public sealed record BenchReport(
    ComputeEnvironment Environment, JsonObject? Torch, string? TorchUnavailable, int Reps, double MinSeconds,
    IReadOnlyList<BenchRow> Rows, IReadOnlyList<BenchObservation> Observations)
{
    public string ToJson() => JsonSerializer.Serialize(this, JsonFormat.Options);

    public static BenchReport FromJson(string json) =>
        JsonSerializer.Deserialize<BenchReport>(json, JsonFormat.Options) ?? throw new InvalidDataException("Bench report JSON is null.");

    /// <summary>The summary as a Markdown table (what docs/performance.md and bench/results/latest.md show).</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Median of {Reps} interleaved repetitions; AsymNet with {Environment.Blas} ({Environment.BlasThreads} BLAS threads, policy {Environment.Threading.Text}), {Environment.Cores} cores, {Environment.DotNet}");
        if (Torch is not null) sb.Append(CultureInfo.InvariantCulture, $"; PyTorch {Torch["torch"]} (OpenBLAS {Torch["openblas_core"]})");
        sb.Append(".\n\n| Workload | Unit | AsymNet | PyTorch | AsymNet/PyTorch | PyTorch's best setting | Accuracy A / P | Peak MiB A / P | Added MiB A / P |\n");
        sb.Append("|---|---|---:|---:|---:|---|---|---:|---:|\n");
        foreach (var r in Rows)
        {
            var accuracy = r.AsymAccuracy is null && r.TorchAccuracy is null ? "" : $"{Pct(r.AsymAccuracy)} / {Pct(r.TorchAccuracy)}";
            sb.Append(CultureInfo.InvariantCulture,
                $"| {r.Workload} | {r.Unit} | {Num(r.AsymMedian)} | {Num(r.TorchMedian)} | {(r.Ratio is { } x ? $"**{x:F2}×**" : "-")} | {r.TorchSetting?.Replace("|", "/")} | {accuracy} | {Mib(r.AsymPeakMemoryMb)} / {Mib(r.TorchPeakMemoryMb)} | {Mib(r.AsymAddedMemoryMb)} / {Mib(r.TorchAddedMemoryMb)} |\n");
        }
        return sb.ToString();

        static string Num(double? v) => v is { } x ? x.ToString(x >= 1000 ? "N0" : x >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture) : "-";
        static string Pct(double? v) => v is { } x ? (100 * x).ToString("F1", CultureInfo.InvariantCulture) + "%" : "-";
        static string Mib(double? v) => v is { } x ? x.ToString("F0", CultureInfo.InvariantCulture) : "-";
    }

    /// <summary>The observations as CSV, one row per repetition and side (header first).</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder("workload,side,rep,setting,value,unit,accuracy,peak_rss_mb,base_rss_mb,detail\n");
        foreach (var o in Observations)
            sb.Append(CultureInfo.InvariantCulture,
                $"{o.Workload},{o.Side},{o.Rep},\"{o.Setting.Replace("\"", "\"\"")}\",{o.Value:R},{o.Unit},{o.Accuracy?.ToString("R", CultureInfo.InvariantCulture)},{o.PeakMemoryMb?.ToString("F1", CultureInfo.InvariantCulture)},{o.BaseMemoryMb?.ToString("F1", CultureInfo.InvariantCulture)},\"{o.Detail?.Replace("\"", "\"\"")}\"\n");
        return sb.ToString();
    }
}
