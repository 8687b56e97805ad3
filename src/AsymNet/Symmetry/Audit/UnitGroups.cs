using AsymNet.NN.Layers;
using AsymNet.NN.Models;

namespace AsymNet.Symmetry.Audit;

/// <summary>
/// The hidden-unit groups of the paper's architectures, by state-dict key. Only trainable parameters and running
/// statistics are listed: masks, F and FiGLU matrices are part of the architecture and stay in place, which is
/// exactly why permuting an asymmetric network changes its function.
/// </summary>
public static class UnitGroups
{
    public static IReadOnlyList<UnitGroup> For(Model model)
    {
        var keys = model.StateDict().Select(kv => kv.Key).ToHashSet();
        var modules = model.NamedModules().ToDictionary(m => m.Name, m => m.Module);
        bool IsRelu(string site) => modules.TryGetValue(site, out var m) && m is ReLU;
        return model switch
        {
            Mlp mlp => ForMlp(mlp, keys, IsRelu),
            ResNet => ForResNet(model.Config, keys, IsRelu),
            Gnn gnn => ForGnn(gnn, keys, IsRelu),
            _ => throw new ArgumentException($"No unit groups known for {model.GetType().Name}."),
        };
    }

    private static List<UnitGroup> ForMlp(Mlp mlp, HashSet<string> keys, Func<string, bool> isRelu)
    {
        var groups = new List<UnitGroup>();
        for (var i = 0; i < mlp.Lins.Count - 1; i++)
        {
            var norm = mlp.Norms is null ? [] : Existing(keys, $"norms.{i}", "weight", "bias", "running_mean", "running_var");
            var into = Existing(keys, $"lins.{i}", "weight", "bias");
            var next = new AxisRef($"lins.{i + 1}.weight", 1);
            groups.Add(new UnitGroup($"lins.{i}", mlp.Lins[i].OutFeatures, [.. into, .. norm, next], isRelu($"activations.{i}"),
                AffineOrRows(keys, mlp.Norms is null ? null : $"norms.{i}", $"lins.{i}"), [next]));
        }
        return groups;
    }

    private static List<UnitGroup> ForGnn(Gnn gnn, HashSet<string> keys, Func<string, bool> isRelu)
    {
        var groups = new List<UnitGroup>();
        for (var i = 0; i < gnn.Convs.Count; i++)
        {
            var p = $"convs.{i}.mlp";
            var hasNorm = gnn.Convs[i].Mlp.Count == 3;
            var norm = hasNorm ? Existing(keys, $"{p}.1", "weight", "bias", "running_mean", "running_var") : [];
            var next = new AxisRef(i + 1 < gnn.Convs.Count ? $"convs.{i + 1}.mlp.0.weight" : "lin.weight", 1);
            groups.Add(new UnitGroup($"convs.{i}", gnn.Convs[i].Lin.OutFeatures, [.. Existing(keys, $"{p}.0", "weight", "bias"), .. norm, next],
                isRelu($"{p}.{gnn.Convs[i].Mlp.Count - 1}"), AffineOrRows(keys, hasNorm ? $"{p}.1" : null, $"{p}.0"), [next]));
        }
        return groups;
    }

    /// <summary>Per block, its inner channels (conv1 out / conv2 in); per stage, the residual stream channels.</summary>
    private static List<UnitGroup> ForResNet(ModelConfig config, HashSet<string> keys, Func<string, bool> isRelu)
    {
        var blocks = (config.Depth - 2) / 6;
        var widths = ResNet.StageWidths(config.WidthMultiplier);
        var groups = new List<UnitGroup>();
        for (var s = 0; s < 3; s++)
            for (var b = 0; b < blocks; b++)
            {
                var p = $"layer{s + 1}.{b}";
                var next = new AxisRef($"{p}.conv2.weight", 1);
                groups.Add(new UnitGroup($"{p} inner", widths[s],
                    [new AxisRef($"{p}.conv1.weight", 0), .. Existing(keys, $"{p}.ln1", "weight", "bias", "running_mean", "running_var"), next],
                    isRelu($"{p}.nonlin1"), [$"{p}.ln1.weight", $"{p}.ln1.bias"], [next]));
            }

        for (var s = 0; s < 3; s++)
        {
            // Producers write stream s (scaled up under rescaling); consumers read it (scaled down).
            var producers = new List<AxisRef>();
            var producerNorms = new List<string>();
            var consumers = new List<AxisRef>();
            var reluSites = new List<string>();
            void Produce(string conv, string norm)
            {
                producers.Add(new AxisRef(conv + ".weight", 0));
                producers.AddRange(Existing(keys, norm, "weight", "bias", "running_mean", "running_var"));
                producerNorms.AddRange([norm + ".weight", norm + ".bias"]);
            }
            if (s == 0) { Produce("conv1", "ln1"); reluSites.Add("nonlin"); }
            for (var b = 0; b < blocks; b++)
            {
                var p = $"layer{s + 1}.{b}";
                Produce($"{p}.conv2", $"{p}.ln2");
                if (keys.Contains($"{p}.shortcut.0.weight")) Produce($"{p}.shortcut.0", $"{p}.shortcut.1");
                if (b > 0 || s == 0) consumers.Add(new AxisRef($"{p}.conv1.weight", 1));
                reluSites.Add($"{p}.nonlin2");
            }
            if (s < 2)
            {
                consumers.Add(new AxisRef($"layer{s + 2}.0.conv1.weight", 1));
                consumers.Add(new AxisRef($"layer{s + 2}.0.shortcut.0.weight", 1));
            }
            else consumers.Add(new AxisRef("linear.weight", 1));
            groups.Add(new UnitGroup($"layer{s + 1} stream", widths[s], [.. producers, .. consumers],
                reluSites.All(isRelu), producerNorms, consumers));
        }
        return groups;
    }

    /// <summary>Under rescaling, the norm's affine parameters carry the scale when a norm precedes the activation,
    /// else the layer's weight rows and bias.</summary>
    private static List<string> AffineOrRows(HashSet<string> keys, string? norm, string layer) =>
        Existing(keys, norm ?? layer, "weight", "bias").Select(r => r.Key).ToList();

    private static List<AxisRef> Existing(HashSet<string> keys, string prefix, params string[] names) =>
        names.Select(n => $"{prefix}.{n}").Where(keys.Contains).Select(k => new AxisRef(k, 0)).ToList();
}
