using System.CommandLine;
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
        command.Options.Add(Model);
        command.Options.Add(Variant);
        command.Options.Add(Dataset);
        command.Options.Add(ArchSeed);
    }

    public ModelConfig Config(ParseResult parse)
    {
        var dataset = parse.GetValue(Dataset) is { } d ? DatasetShape.ForName(d) : null;
        return ModelFactory.Preset(parse.GetValue(Model)!, parse.GetValue(Variant)!, dataset, parse.GetValue(ArchSeed));
    }
}
