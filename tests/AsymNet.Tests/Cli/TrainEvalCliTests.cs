using System.Globalization;
using AsymNet.Experiments.Runs;
using AsymNet.NN.Checkpoints;
using AsymNet.Tests.Data;

namespace AsymNet.Tests.Cli;

/// <summary>`asym train` then `asym eval` through the real command line on the embedded MNIST digits.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TrainEvalCliTests
{
    [Fact]
    public void TrainWritesARunFolderAndEvalReproducesTheReportedLoss()
    {
        using var dir = new TempDir();
        var run = dir["run"];
        var (code, json) = CliRunner.Json("train", "--model", "mlp", "--variant", "w", "--dataset", "mnist10k", "--train-size", "512",
            "--epochs", "1", "--batch-size", "64", "--seed", "3", "--out", run, "--json");
        Assert.Equal(0, code);
        var summary = json!.Value;
        Assert.Equal("completed", summary.GetProperty("status").GetString());
        Assert.Equal(8, summary.GetProperty("steps").GetInt64());
        var testLoss = summary.GetProperty("test_loss").GetDouble();
        var testAccuracy = summary.GetProperty("test_accuracy").GetDouble();
        Assert.True(testAccuracy > 0.5, $"accuracy {testAccuracy} after 512 images");
        Assert.True(summary.GetProperty("samples_per_second").GetDouble() > 0);

        var manifest = RunFolder.ReadManifest(run);
        Assert.Equal("completed", manifest.Status);
        Assert.Contains("--train-size 512", manifest.CommandLine);
        Assert.Equal(3UL, manifest.Seeds["seed"]);
        Assert.Equal("w", manifest.Config!["model"]!["variant"]!.GetValue<string>());
        var csv = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.Equal(2, csv.Length);
        Assert.Equal(testLoss, double.Parse(csv[1].Split(',')[3], CultureInfo.InvariantCulture));

        var checkpoint = Path.Combine(run, "checkpoint.safetensors");
        var (evalCode, eval) = CliRunner.Json("eval", checkpoint, "--json");
        Assert.Equal(0, evalCode);
        Assert.Equal(testLoss, eval!.Value.GetProperty("test_loss").GetDouble(), 1e-9);
        Assert.Equal(testAccuracy, eval.Value.GetProperty("test_accuracy").GetDouble());

        // The same weights without AsymNet's config (as PyTorch would save them) evaluate the same with --model.
        var bare = dir["bare.safetensors"];
        Safetensors.Save(bare, Safetensors.Load(checkpoint).Tensors);
        Assert.Equal(1, CliRunner.Json("eval", bare, "--dataset", "mnist10k", "--json").Code);
        var (bareCode, bareEval) = CliRunner.Json("eval", bare, "--dataset", "mnist10k", "--model", "mlp", "--variant", "w", "--json");
        Assert.Equal(0, bareCode);
        Assert.Equal(testLoss, bareEval!.Value.GetProperty("test_loss").GetDouble(), 1e-9);
    }

    /// <summary>Issue 3's acceptance check: the W-Asym MLP reaches 85% on Fashion-MNIST in two epochs (about 30 s).</summary>
    [Fact]
    public void WAsymMlpReaches85PercentOnFashionMnistInTwoEpochs()
    {
        using var dir = new TempDir();
        var run = dir["run"];
        var (code, json) = CliRunner.Json("train", "--model", "mlp", "--variant", "w", "--dataset", "fashion-mnist", "--epochs", "2", "--out", run, "--json");
        Assert.Equal(0, code);
        var accuracy = json!.Value.GetProperty("test_accuracy").GetDouble();
        Assert.True(accuracy >= 0.85, $"test accuracy {accuracy:P2} after 2 epochs");
        var (evalCode, eval) = CliRunner.Json("eval", Path.Combine(run, "checkpoint.safetensors"), "--json");
        Assert.Equal(0, evalCode);
        Assert.Equal(json.Value.GetProperty("test_loss").GetDouble(), eval!.Value.GetProperty("test_loss").GetDouble(), 1e-9);
    }

    /// <summary>README command 1 (`./asym demo`): the standard MLP reaches 84% on Fashion-MNIST in one epoch.</summary>
    [Fact]
    public void DemoReachesItsTarget()
    {
        using var dir = new TempDir();
        var (code, json) = CliRunner.Json("demo", "--out", dir["demo"], "--json");
        Assert.Equal(0, code);
        Assert.True(json!.Value.GetProperty("reached_target").GetBoolean());
        Assert.True(json.Value.GetProperty("test_accuracy").GetDouble() >= 0.84);
        Assert.Equal(938, json.Value.GetProperty("steps").GetInt64()); // 60,000 / 64, last batch partial
    }

    [Fact]
    public void ADivergedRunIsRecordedNotCrashed()
    {
        using var dir = new TempDir();
        var run = dir["run"];
        var (code, json) = CliRunner.Json("train", "--model", "mlp", "--dataset", "mnist10k", "--train-size", "256", "--optimizer", "sgd",
            "--lr", "1e12", "--out", run, "--json");
        Assert.Equal(1, code);
        Assert.Equal("diverged", json!.Value.GetProperty("status").GetString());
        Assert.Equal("diverged", RunFolder.ReadManifest(run).Status);
        Assert.False(File.Exists(Path.Combine(run, "checkpoint.safetensors")));
    }

    [Fact]
    public void BadArgumentsGiveAnErrorNotACrash()
    {
        using var dir = new TempDir();
        var (code, json) = CliRunner.Json("train", "--model", "mlp", "--dataset", "mnist10k", "--schedule", "cosine", "--out", dir["r"], "--json");
        Assert.Equal(2, code);
        Assert.Contains("schedule", json!.Value.GetProperty("message").GetString());
        Assert.Equal(1, CliRunner.Json("eval", dir["missing.safetensors"], "--json").Code);
    }
}
