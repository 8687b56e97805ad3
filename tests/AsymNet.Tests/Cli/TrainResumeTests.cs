using AsymNet.Experiments.Training;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Training;
using AsymNet.Tests.Data;

namespace AsymNet.Tests.Cli;

/// <summary>`asym train --resume`: a run stopped after an epoch continues bit for bit (model, optimizer state, schedule,
/// data order), and a folder of other options is refused with the differing field named.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TrainResumeTests
{
    private static readonly string[] Options = ["--model", "mlp", "--variant", "w", "--dataset", "mnist10k", "--train-size", "256", "--epochs", "3",
        "--batch-size", "64", "--optimizer", "adamw", "--schedule", "triangular:1", "--seed", "5"];

    private static TrainConfig Config => new()
    {
        Model = "mlp", Variant = "w", Dataset = "mnist10k", TrainSize = 256, Epochs = 3, BatchSize = 64, Optimizer = "adamw", Schedule = "triangular:1", Seed = 5,
    };

    private static string[] LossColumns(string run) =>
        [.. File.ReadAllLines(Path.Combine(run, TrainExperiment.MetricsFile)).Select(l => string.Join(',', l.Split(',').Take(6)))];

    [Fact]
    public void AStoppedRunResumesBitForBit()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Json(["train", .. Options, "--out", dir["straight"], "--json"]).Code);

        // Stop after the first epoch (as Ctrl+C would), then resume through the command line.
        using var stop = new CancellationTokenSource();
        var first = TrainExperiment.Run(Config, dir["resumed"], "test", onEpoch: _ => stop.Cancel(), cancel: stop.Token);
        Assert.Equal(TrainStatus.Cancelled, first.Result.Status);
        Assert.Single(first.Result.Epochs);
        Assert.True(File.Exists(dir["resumed/optimizer-0001.safetensors"]));
        var (code, json) = CliRunner.Json(["train", .. Options, "--out", dir["resumed"], "--resume", "--json"]);
        Assert.Equal(0, code);
        Assert.Equal("completed", json!.Value.GetProperty("status").GetString());

        var a = Safetensors.Load(dir["straight/checkpoint.safetensors"]);
        var b = Safetensors.Load(dir["resumed/checkpoint.safetensors"]);
        Assert.Equal(a.Names, b.Names);
        foreach (var t in a.Tensors) Assert.Equal(t.Data.ToArray(), b[t.Name].Data.ToArray());
        Assert.Equal(LossColumns(dir["straight"]), LossColumns(dir["resumed"]));
        Assert.Equal(["optimizer-0003.safetensors"], Directory.GetFiles(dir["resumed"], "optimizer-*").Select(Path.GetFileName));
    }

    [Fact]
    public void ResumeRefusesOtherOptionsAndMissingFolders()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Json(["train", .. Options, "--out", dir["run"], "--json"]).Code);
        string[] other = [.. Options[..^1], "6"];
        Assert.Equal(1, CliRunner.Json(["train", .. other, "--out", dir["run"], "--resume", "--json"]).Code);
        Assert.Equal(1, CliRunner.Json(["train", .. Options, "--out", dir["none"], "--resume", "--json"]).Code);
        Assert.Equal(2, CliRunner.Json(["train", .. Options, "--resume", "--json"]).Code);
    }
}
