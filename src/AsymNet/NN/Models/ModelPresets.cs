using System.Globalization;
using System.Text.RegularExpressions;
using AsymNet.NN.Asymmetry;

namespace AsymNet.NN.Models;

/// <summary>
/// The paper's models with its default asymmetry settings (docs/paper.md#models). Decisions: ResNet20 W-Asym uses
/// κ = 2 (paper Tables 6/7, not the code's 3; docs/paper.md#h3); σ-Asym ResNets put FiGLU after every norm
/// (SigmaBasicBlock, not the authors' hybrid; docs/paper.md#h1); the W-Asym GNN uses FiGLU as well, as the authors'
/// code does (docs/paper.md#h10); BNN ResNets use the code's nfix (docs/paper.md#h9). Standard and σ-Asym ResNets start
/// from kaiming-normal, W-Asym ones from kaiming-uniform, as the authors' code does (docs/paper.md#h21), except the BNN
/// ResNets (kaiming-normal throughout).
/// </summary>
public static partial class ModelPresets
{
    public static IReadOnlyList<string> Names { get; } =
        ["mlp", "bnn-mlp8", "bnn-mlp16", "resnet8", "resnet20", "resnet20x8", "resnet32", "resnet56", "resnet110", "bnn-resnet20", "bnn-resnet110", "bnn-resnet20x2-bn", "bnn-resnet20x2-ln", "gnn"];

    /// <summary>A preset; <paramref name="strength"/> scales its asymmetry (null or the paper's: unchanged, nothing recorded).</summary>
    public static ModelConfig Get(string name, Variant variant, DatasetShape? dataset, ulong architectureSeed, AsymmetryStrength? strength = null)
    {
        var key = name.ToLowerInvariant();
        var config = key switch
        {
            "mlp" => Mlp(variant, dataset ?? DatasetShape.Mnist),
            "bnn-mlp8" => BnnMlp(9, variant, dataset ?? DatasetShape.Cifar10),
            "bnn-mlp16" => BnnMlp(17, variant, dataset ?? DatasetShape.Cifar10),
            "resnet8" => ResNet8(variant, dataset ?? DatasetShape.Cifar10),
            "bnn-resnet20" => BnnResNet(20, variant, dataset ?? DatasetShape.Cifar10),
            "bnn-resnet110" => BnnResNet(110, variant, dataset ?? DatasetShape.Cifar10),
            "bnn-resnet20x2-bn" => BnnResNet(20, variant, dataset ?? DatasetShape.Cifar100, 2, NormKind.Batch),
            "bnn-resnet20x2-ln" => BnnResNet(20, variant, dataset ?? DatasetShape.Cifar100, 2, NormKind.Group),
            "gnn" => Gnn(variant, dataset ?? DatasetShape.OgbnArxiv),
            _ when ResNetName().Match(key) is { Success: true } m => LmcResNet(
                int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
                m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : 1,
                variant, dataset ?? DatasetShape.Cifar10),
            _ => throw new ArgumentException($"Unknown model '{name}'; known: {string.Join(", ", Names)} (or resnet<depth>x<width>)."),
        };
        config = config with { ArchitectureSeed = architectureSeed };
        return strength is null || strength.IsPaper ? config : config with { Asymmetry = strength.Apply(config.Asymmetry), Strength = strength };
    }

    // Bounded digits: a width of 0 or a number past int's range is an unknown name, not a crash.
    [GeneratedRegex(@"^resnet(\d{1,4})(?:x([1-9]\d{0,2}))?$")]
    private static partial Regex ResNetName();

    /// <summary>LMC MLP 784→512→512→512→10, LayerNorm, GELU; W-Asym per Table 5; σ-Asym FiGLU with F std 1.</summary>
    private static ModelConfig Mlp(Variant variant, DatasetShape data)
    {
        var config = new ModelConfig
        {
            Architecture = Architecture.Mlp, Variant = variant, InputShape = data.InputShape, Classes = data.Classes,
            Depth = 4, Width = 512, Norm = NormKind.Layer, Activation = ActivationKind.Gelu,
        };
        int[] nfix = [64, 64, 64, 256];
        double[] kappa = [1, 1, 0.5, 0.25];
        return variant switch
        {
            Variant.W => config with { Asymmetry = [.. Enumerable.Range(0, 4).Select(i => LayerAsymmetry.Entries($"lins.{i}", nfix[i], kappa[i]))] },
            Variant.Sigma => config with { Asymmetry = [.. Enumerable.Range(0, 3).Select(i => LayerAsymmetry.FiGlu($"activations.{i}", 1.0))] },
            _ => config,
        };
    }

    /// <summary>BNN MLP: 3072→256 then hidden 256s, LayerNorm, ReLU; W-Asym nfix 8, κ 0.5 on every layer.</summary>
    private static ModelConfig BnnMlp(int linears, Variant variant, DatasetShape data)
    {
        var config = new ModelConfig
        {
            Architecture = Architecture.Mlp, Variant = variant, InputShape = data.InputShape, Classes = data.Classes,
            Depth = linears, Width = 256, Norm = NormKind.Layer, Activation = ActivationKind.Relu,
        };
        return variant switch
        {
            Variant.W => config with { Asymmetry = [.. Enumerable.Range(0, linears).Select(i => LayerAsymmetry.Entries($"lins.{i}", 8, 0.5))] },
            Variant.Sigma => config with { Asymmetry = [.. Enumerable.Range(0, linears - 1).Select(i => LayerAsymmetry.FiGlu($"activations.{i}", 1.0))] },
            _ => config,
        };
    }

    private static ModelConfig ResNetBase(int depth, double width, Variant variant, DatasetShape data, WeightInit init) => new()
    {
        Architecture = Architecture.ResNet, Variant = variant, InputShape = data.InputShape, Classes = data.Classes,
        Depth = depth, WidthMultiplier = width, Norm = NormKind.Group, Activation = ActivationKind.Relu, WeightInit = init,
    };

    /// <summary>LMC ResNet: W-Asym nfix per Table 6 (×3 from width 8 on, Table 7), κ 2, fixed entries everywhere. The
    /// stem's 12 (of 27 entries on 3-channel images) is 4 per input channel, so that 1-channel images keep the paper's
    /// share (4 of 9) instead of a fully fixed stem, which at κ = 0 would be all zeros.</summary>
    private static ModelConfig LmcResNet(int depth, int width, Variant variant, DatasetShape data)
    {
        var init = variant == Variant.W ? WeightInit.KaimingUniform : WeightInit.KaimingNormal;
        var config = ResNetBase(depth, width, variant, data, init);
        var mul = width >= 8 ? 3 : 1;
        return variant switch
        {
            Variant.W => config with { Asymmetry = ResNetEntries(config, mul * 4 * data.InputShape[0], [mul * 36, mul * 54, mul * 72], [mul * 4, mul * 6, mul * 8], mul * 8, 2.0) },
            Variant.Sigma => config with { Asymmetry = ResNetFiGlu(config) },
            _ => config,
        };
    }

    /// <summary>Metanet/MLI ResNet8: W-Asym fixes 8 input filters per output channel in every conv (the stem
    /// entirely) and 8 entries per row of the head, κ 2; σ-Asym FiGLU with std 1/√C.</summary>
    private static ModelConfig ResNet8(Variant variant, DatasetShape data)
    {
        var config = ResNetBase(8, 1, variant, data, variant == Variant.W ? WeightInit.KaimingUniform : WeightInit.KaimingNormal);
        return variant switch
        {
            Variant.W => config with
            {
                Asymmetry = [.. ResNetConvNames(config).Select(c => LayerAsymmetry.InputFilters(c.Name, 8, 2.0)), LayerAsymmetry.Entries("linear", 8, 2.0)],
            },
            Variant.Sigma => config with { Asymmetry = ResNetFiGlu(config) },
            _ => config,
        };
    }

    /// <summary>BNN ResNet (bnn/train_sparse_ResNet.py): W-Asym stem 12, convs 8/12/16, skips 6/8, head standard,
    /// κ 0.5; kaiming-normal for every weight. The CIFAR-100 width-×2 BN and LN (GroupNorm(1, C)) models of Table 2 have
    /// no released code: they take the same nfix (the head standard, as the paper says for CIFAR-100).</summary>
    private static ModelConfig BnnResNet(int depth, Variant variant, DatasetShape data, double width = 1, NormKind norm = NormKind.Group)
    {
        var config = ResNetBase(depth, width, variant, data, WeightInit.KaimingNormal) with { Norm = norm };
        return variant switch
        {
            Variant.W => config with { Asymmetry = ResNetEntries(config, 12, [8, 12, 16], [5, 6, 8], 0, 0.5) },
            Variant.Sigma => config with { Asymmetry = ResNetFiGlu(config) },
            _ => config,
        };
    }

    /// <summary>Fixed entries for every conv (stem, per-stage convs and skips) and the head (nfix 0 = standard).</summary>
    private static IReadOnlyList<LayerAsymmetry> ResNetEntries(ModelConfig config, int stem, int[] convs, int[] skips, int head, double kappa)
    {
        var specs = ResNetConvNames(config)
            .Select(c => LayerAsymmetry.Entries(c.Name, c.Stage < 0 ? stem : c.IsSkip ? skips[c.Stage] : convs[c.Stage], kappa))
            .ToList();
        if (head > 0) specs.Add(LayerAsymmetry.Entries("linear", head, kappa));
        return specs;
    }

    /// <summary>Every conv of a ResNet config by name; Stage −1 is the stem.</summary>
    private static IEnumerable<(string Name, int Stage, bool IsSkip)> ResNetConvNames(ModelConfig config)
    {
        yield return ("conv1", -1, false);
        var blocks = (config.Depth - 2) / 6;
        for (var s = 0; s < 3; s++)
            for (var b = 0; b < blocks; b++)
            {
                yield return ($"layer{s + 1}.{b}.conv1", s, false);
                yield return ($"layer{s + 1}.{b}.conv2", s, false);
                if (b == 0 && s > 0) yield return ($"layer{s + 1}.{b}.shortcut.0", s, true);
            }
    }

    /// <summary>FiGLU at the stem and after both norms of every block, std 1/√C (paper E.4).</summary>
    private static IReadOnlyList<LayerAsymmetry> ResNetFiGlu(ModelConfig config)
    {
        var blocks = (config.Depth - 2) / 6;
        var widths = ResNet.StageWidths(config.WidthMultiplier);
        var specs = new List<LayerAsymmetry> { LayerAsymmetry.FiGlu("nonlin", 1 / Math.Sqrt(widths[0])) };
        for (var s = 0; s < 3; s++)
            for (var b = 0; b < blocks; b++)
            {
                specs.Add(LayerAsymmetry.FiGlu($"layer{s + 1}.{b}.nonlin1", 1 / Math.Sqrt(widths[s])));
                specs.Add(LayerAsymmetry.FiGlu($"layer{s + 1}.{b}.nonlin2", 1 / Math.Sqrt(widths[s])));
            }
        return specs;
    }

    /// <summary>GNN 128→256×3→40, BatchNorm1d, GELU; σ-Asym FiGLU std 0.01/√256; W-Asym nfix 6, κ 0.5 on all four
    /// linear maps plus the σ-Asym FiGLU (docs/paper.md#h10).</summary>
    private static ModelConfig Gnn(Variant variant, DatasetShape data)
    {
        const int width = 256, depth = 3;
        var config = new ModelConfig
        {
            Architecture = Architecture.Gnn, Variant = variant, InputShape = data.InputShape, Classes = data.Classes,
            Depth = depth, Width = width, Norm = NormKind.Batch, Activation = ActivationKind.Gelu,
        };
        var figlu = Enumerable.Range(0, depth).Select(i => LayerAsymmetry.FiGlu($"convs.{i}.mlp.2", 0.01 / Math.Sqrt(width)));
        var entries = Enumerable.Range(0, depth).Select(i => LayerAsymmetry.Entries($"convs.{i}.mlp.0", 6, 0.5))
            .Append(LayerAsymmetry.Entries("lin", 6, 0.5));
        return variant switch
        {
            Variant.W => config with { Asymmetry = [.. entries, .. figlu] },
            Variant.Sigma => config with { Asymmetry = [.. figlu] },
            _ => config,
        };
    }
}
