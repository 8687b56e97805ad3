using System.Globalization;
using AsymNet.NN.Models;

namespace AsymNet.NN.Checkpoints;

/// <summary>
/// Plain-words checks of a checkpoint before and after its model is built: a config whose sizes cannot describe the
/// file's tensors (named by field), the architecture a config-less file's keys belong to (when the named one does not
/// fit), and non-finite weights.
/// </summary>
public static class CheckpointDiagnosis
{
    /// <summary>
    /// Refuses a stored config with a size no tensor in the file could hold: every layer of width w has at least w
    /// values, so no size field can exceed the file's total number of values (a damaged or hand-edited config would
    /// otherwise try to allocate it).
    /// </summary>
    public static void CheckSizes(SafetensorsFile file, ModelConfig config)
    {
        var total = file.Tensors.Sum(t => t.ElementCount());
        var sizes = new (string Field, double Value)[]
        {
            ("width", config.Width), ("depth", config.Depth), ("classes", config.Classes), ("widthMultiplier", 16 * config.WidthMultiplier),
        }.Concat(config.InputShape.Select((d, i) => ($"inputShape[{i}]", (double)d)));
        foreach (var (field, value) in sizes)
        {
            if (double.IsFinite(value) && value >= 1 && value <= total) continue;
            var shown = field == "widthMultiplier" ? config.WidthMultiplier : value;
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{file.Source}: its model config (metadata '{Checkpoint.ConfigKey}') has {field} {shown:G}, which its {file.Tensors.Count} tensors " +
                $"({total:N0} values in all) cannot hold; the config is damaged or belongs to another file."));
        }
    }

    /// <summary>
    /// One line saying which preset a config-less file's keys belong to ("did you mean --model resnet20?"), or that they
    /// match none, for the error of a file that does not fit the architecture named on the command line.
    /// </summary>
    public static string GuessArchitecture(SafetensorsFile file, ModelConfig named)
    {
        var keys = file.Names.ToHashSet(StringComparer.Ordinal);
        foreach (var name in ModelPresets.Names.Where(n => !n.Contains('x', StringComparison.Ordinal)))
            foreach (var variant in new[] { "standard", "w", "sigma" })
            {
                var config = ModelFactory.Preset(name, variant);
                if (config.Architecture == named.Architecture && config.Variant == named.Variant && config.Depth == named.Depth) continue;
                var state = ModelFactory.Create(config, initSeed: 0).StateDict();
                if (!keys.SetEquals(state.Select(kv => kv.Key))) continue;
                var suggestion = name.StartsWith("resnet", StringComparison.Ordinal) && file.TryGet("conv1.weight", out var stem) && stem.Shape[0] != 16
                    ? $"{name}x{stem.Shape[0] / 16}" : name;
                return $"its {keys.Count} tensors are those of a {suggestion} ({variant}) checkpoint; did you mean --model {suggestion} --variant {variant}?";
            }
        return $"its {keys.Count} tensors match no preset (first: {string.Join(", ", file.Names.Take(3))}); is it a state dict with the authors' keys?";
    }

    /// <summary>A warning naming the tensors that hold NaN or infinite values, or null when every value is finite.</summary>
    public static string? NonFinite(SafetensorsFile file)
    {
        var bad = new List<string>();
        long count = 0;
        foreach (var t in file.Tensors)
        {
            var n = 0;
            foreach (var v in t.ToTensor().Span)
                if (!float.IsFinite(v)) n++;
            if (n == 0) continue;
            bad.Add(t.Name);
            count += n;
        }
        return bad.Count == 0 ? null
            : $"{file.Source} holds {count:N0} non-finite values (NaN or infinite) in {bad.Count} tensor(s) ({string.Join(", ", bad.Take(3))}{(bad.Count > 3 ? ", …" : "")}); " +
              "its outputs are meaningless (was it saved from a diverged run?).";
    }
}
