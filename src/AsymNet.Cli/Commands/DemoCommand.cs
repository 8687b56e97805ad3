using System.CommandLine;
using System.Text.Json;
using AsymNet.Experiments.Runs;
using AsymNet.Experiments.Training;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>
/// `asym demo`: the README's first command. Trains the paper's MLP (784→512→512→512→10, LayerNorm, GELU) on
/// Fashion-MNIST for one epoch (Adam, lr 1e-3, batch 64, inputs normalised with mean 0.2860 and std 0.3530) and
/// prints the test accuracy, which should reach 84% or more.
/// </summary>
public static class DemoCommand
{
    public const double TargetAccuracy = 0.84;

    public static Command Create()
    {
        var variant = new Option<string>("--variant") { Description = "standard, w (W-Asymmetric) or sigma (σ-Asymmetric, FiGLU).", DefaultValueFactory = _ => "standard" };
        variant.AcceptOnlyFromAmong("standard", "w", "sigma");
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weight init and data order.", DefaultValueFactory = _ => 0UL };
        var output = new Option<string?>("--out") { Description = "Run folder (default: runs/demo-<time>)." };
        var json = new Option<bool>("--json") { Description = "Print only the final metrics as one JSON object." };
        var dataDir = DataDirOption.Create();
        var cmd = new Command("demo", "Train the paper's MLP on Fashion-MNIST for one epoch and report the test accuracy (target ≥ 84%).")
        {
            variant, seed, output, json, dataDir,
        };
        cmd.SetAction(parse => CommandErrors.Guard("demo", parse.GetValue(json), () =>
        {
            var config = TrainConfig.Demo(parse.GetValue(variant)!, parse.GetValue(seed), parse.GetValue(dataDir));
            var asJson = parse.GetValue(json);
            var outDir = parse.GetValue(output) ?? RunFolder.DefaultPath("demo");
            OutputPaths.CheckFolder(outDir, "--out", nonEmptyHint: "choose another --out");
            var outcome = TrainRunner.Run("demo", config, outDir, overwrite: false, asJson, TrainRunner.CommandLine(parse));
            var accuracy = outcome.Result.Last?.TestAccuracy ?? double.NaN;
            var reached = accuracy >= TargetAccuracy;
            if (asJson)
            {
                var summary = outcome.Summary();
                summary["target_accuracy"] = TargetAccuracy;
                summary["reached_target"] = reached;
                Console.WriteLine(summary.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            }
            else if (reached)
                AnsiConsole.MarkupLine($"[green]Test accuracy {accuracy:P2} ≥ {TargetAccuracy:P0}[/] after one epoch.");
            else
                AnsiConsole.MarkupLine($"[red]Test accuracy {accuracy:P2} is below the {TargetAccuracy:P0} target.[/]");
            return TrainRunner.ExitCode(outcome) is var code && code != ExitCodes.Success ? code : reached ? ExitCodes.Success : ExitCodes.Failure;
        }));
        return cmd;
    }
}
