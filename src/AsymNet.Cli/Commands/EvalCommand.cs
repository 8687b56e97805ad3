using System.CommandLine;
using System.Text.Json;
using AsymNet.Data;
using AsymNet.Experiments.Training;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;
using AsymNet.NN.Training;
using AsymNet.Tensors;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>`asym eval`: test loss and accuracy of a checkpoint.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "A .safetensors checkpoint (from asym train, or a PyTorch state dict with the authors' keys)." };
        var model = new ModelOptions(Datasets.ImageNames);
        model.Model.Required = false;
        model.Model.Description = "Architecture of a checkpoint without AsymNet config (e.g. saved from PyTorch): " + string.Join(", ", ModelPresets.Names) +
                                  " (or resnet<depth>x<width>).";
        model.Dataset.Description = "Dataset to evaluate on (default: the one recorded in the checkpoint): " + string.Join(", ", Datasets.ImageNames) + ".";
        var batch = new Option<int>("--batch-size") { Description = "Evaluation batch size.", DefaultValueFactory = _ => 1000 }.AtLeast(1);
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
        var dataDir = DataDirOption.Create();
        var cmd = new Command("eval", "Evaluate a checkpoint on a dataset's test split: mean cross-entropy and accuracy.") { checkpoint };
        model.AddTo(cmd);
        cmd.Options.Add(batch);
        cmd.Options.Add(json);
        cmd.Options.Add(dataDir);
        cmd.SetAction(parse => CommandErrors.Guard("eval", parse.GetValue(json), () =>
        {
            var path = parse.GetValue(checkpoint)!;
            var file = Safetensors.Load(path);
            var dataset = parse.GetValue(model.Dataset) ?? file.Metadata.GetValueOrDefault("dataset")
                ?? throw new UsageException($"{path} does not record its dataset; pass --dataset.");
            var fallback = parse.GetValue(model.Model) is { } name
                ? ModelFactory.Preset(name, parse.GetValue(model.Variant)!, TrainExperiment.ShapeOf(dataset), parse.GetValue(model.ArchSeed))
                : null;
            var net = Checkpoint.Load(file, fallback);
            var shape = TrainExperiment.ShapeOf(dataset);
            if (!shape.InputShape.SequenceEqual(net.Config.InputShape) || shape.Classes != net.Config.Classes)
                throw new UsageException($"{path} takes [{string.Join(", ", net.Config.InputShape)}] inputs and {net.Config.Classes} classes; " +
                                         $"--dataset {dataset} has [{string.Join(", ", shape.InputShape)}] and {shape.Classes}.");
            var warnings = CheckpointDiagnosis.NonFinite(file) is { } bad ? new[] { bad } : [];
            foreach (var warning in warnings) Terminal.Warning("eval", warning);
            var (_, test) = Datasets.LoadImages(dataset, DataDirOption.Resolve(parse, dataDir));
            using var loader = new ImageLoader(test, LoaderOptions.Eval(parse.GetValue(batch)), new Rng(0));
            var result = Trainer.Evaluate(net, loader)!;
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    checkpoint = path, dataset, test_loss = Finite(result.Loss), test_accuracy = result.Accuracy, count = result.Count, seconds = result.Seconds, warnings,
                }));
            else
                AnsiConsole.MarkupLine(Markup.Escape($"{path} on {dataset} test ({result.Count:N0} images): loss {result.Loss:F4}, accuracy {result.Accuracy:P2} ({result.Seconds:F1} s)"));
            return ExitCodes.Success;
        }));
        return cmd;
    }

    // JSON has no NaN: a non-finite loss is null.
    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
