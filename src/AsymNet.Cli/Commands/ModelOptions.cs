using System.CommandLine;
using AsymNet.NN.Asymmetry;
using AsymNet.NN.Models;

namespace AsymNet.Cli.Commands;

/// <summary>The options that name a model preset (--model, --variant, --dataset, --arch-seed), shared by commands.</summary>
public sealed class ModelOptions
{
    public Option<string> Model { get; } = new("--model")
    {
        Description = "Model: " + string.Join(", ", ModelPresets.Names) + " (or resnet<depth>x<width>).",
        Required = true,
    };

    public Option<string> Variant { get; } = new("--variant")
    {
        Description = "standard, w (W-Asymmetric) or sigma (σ-Asymmetric, FiGLU).",
        DefaultValueFactory = _ => "standard",
    };

    public Option<string?> Dataset { get; } = new("--dataset")
    {
        Description = "Dataset whose input shape and class count the model follows: " +
                      string.Join(", ", DatasetShape.Known.Select(d => d.Name)) + " (default: the paper's for this model).",
    };

    public Option<ulong> ArchSeed { get; } = new("--arch-seed")
    {
        Description = "Architecture seed: masks, F and FiGLU matrices derive from it.",
        DefaultValueFactory = _ => 0UL,
    };

    public Option<double> NfixMultiplier { get; } = new("--nfix-mul")
    {
        Description = "W-Asym: multiplier of the paper's per-layer nfix, truncated like the authors' int(nfix·n_mul) (0 fixes nothing).",
        DefaultValueFactory = _ => 1.0,
    };

    public Option<double?> Kappa { get; } = new("--kappa")
    {
        Description = "W-Asym: κ of the layers with the preset's largest κ (others keep their ratio, e.g. the MLP's κ, κ, κ/2, κ/4); 0 = plain sparsity (default: the paper's).",
    };

    public Option<double?> FStd { get; } = new("--f-std")
    {
        Description = "σ-Asym: standard deviation of every FiGLU F (default: the preset's; 1 for the MLP, 1/√C for ResNets, 0.01/√d for the GNN).",
    };

    /// <param name="datasets">The datasets the command loads (train, eval); null: --dataset only names an input shape.</param>
    public ModelOptions(IReadOnlyList<string>? datasets = null)
    {
        Model.Validators.Add(r => Refuse(r, () => ModelFactory.Preset(r.GetValueOrDefault<string>(), "standard")));
        Variant.Validators.Add(r => Refuse(r, () => ModelFactory.ParseVariant(r.GetValueOrDefault<string>())));
        if (datasets is null)
        {
            Dataset.Validators.Add(r => Refuse(r, () => DatasetShape.ForName(r.GetValueOrDefault<string?>() ?? "mnist")));
            return;
        }
        Dataset.AcceptOnlyFromAmong([.. datasets]);
        Dataset.Description = $"Dataset: {string.Join(", ", datasets)} (default: the paper's for this model).";
    }

    /// <summary>A name the library refuses (ArgumentException, with the known names) is a parse error.</summary>
    private static void Refuse(System.CommandLine.Parsing.OptionResult result, Action check)
    {
        try
        {
            check();
        }
        catch (ArgumentException e)
        {
            result.AddError(e.Message);
        }
    }

    public void AddTo(Command command)
    {
        command.Options.Add(NfixMultiplier);
        command.Options.Add(Kappa);
        command.Options.Add(FStd);
        command.Options.Add(Model);
        command.Options.Add(Variant);
        command.Options.Add(Dataset);
        command.Options.Add(ArchSeed);
    }

    public ModelConfig Config(ParseResult parse)
    {
        var dataset = parse.GetValue(Dataset) is { } d ? DatasetShape.ForName(d) : null;
        return ModelFactory.Preset(parse.GetValue(Model)!, parse.GetValue(Variant)!, dataset, parse.GetValue(ArchSeed), Strength(parse));
    }

    /// <summary>The strength the options ask for; null when they leave the paper's.</summary>
    public AsymmetryStrength? Strength(ParseResult parse) =>
        new AsymmetryStrength { NfixMultiplier = parse.GetValue(NfixMultiplier), Kappa = parse.GetValue(Kappa), FStd = parse.GetValue(FStd) } is { IsPaper: false } s ? s : null;
}
