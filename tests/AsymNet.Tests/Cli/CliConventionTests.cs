using System.Text.Json.Nodes;
using AsymNet.Cli;
using AsymNet.Cli.Commands;
using AsymNet.Data;
using AsymNet.Experiments.Runs;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;
using AsymNet.Tests.Data;

namespace AsymNet.Tests.Cli;

/// <summary>
/// Issue 16: the CLI under bad input, in pipes and across machines. Every case: a clear message on standard error, the
/// documented exit code (docs/cli.md) and no misleading file left behind.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class CliConventionTests
{
    private static readonly string[] Mnist10k = ["--model", "mlp", "--dataset", "mnist10k"];

    [Theory]
    [InlineData("--epochs", "0")]
    [InlineData("--epochs", "-1")]
    [InlineData("--train-size", "0")]
    [InlineData("--train-size", "-1")]
    [InlineData("--lr", "nan")]
    [InlineData("--lr", "0")]
    [InlineData("--momentum", "NaN")]
    [InlineData("--weight-decay", "-1")]
    [InlineData("--label-smoothing", "2")]
    [InlineData("--batch-size", "0")]
    [InlineData("--eval-batch-size", "0")]
    public void TrainRefusesAnOutOfRangeValueAsAUsageErrorAndWritesNothing(string option, string value)
    {
        using var dir = new TempDir();
        var (code, output, error) = CliRunner.Run(["train", .. Mnist10k, option, value, "--out", dir["run"]]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"asym train: {option} must be", error);
        Assert.DoesNotContain("Exception", error + output);
        Assert.False(Directory.Exists(dir["run"]));
    }

    [Fact]
    public void ATrainSizeAboveTheDatasetAndABadScheduleAreUsageErrorsBeforeTheRunFolderExists()
    {
        using var dir = new TempDir();
        var (code, _, error) = CliRunner.Run(["train", .. Mnist10k, "--train-size", "100000", "--out", dir["run"]]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--train-size 100,000 is more than the 8,000 training images of mnist10k", error);
        Assert.False(Directory.Exists(dir["run"]));
        (code, _, error) = CliRunner.Run(["train", .. Mnist10k, "--schedule", "cosine", "--out", dir["run"]]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("schedule 'cosine'", error);
        Assert.False(Directory.Exists(dir["run"]));
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("train", "--model", "gnn", "--out", dir["run"]).Code);
    }

    [Fact]
    public void AnOutputPathThatCannotBeUsedIsRefusedFirstAndSaysWhy()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["file"], "x");
        var (code, _, error) = CliRunner.Run(["train", .. Mnist10k, "--out", dir["file"]]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"--out {dir["file"]} is a file, not a folder", error);
        (code, _, error) = CliRunner.Run(["train", .. Mnist10k, "--out", Path.Combine(dir["file"], "run")]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("is a file", error);
        if (Directory.Exists("/proc/self"))
        {
            (code, _, error) = CliRunner.Run(["train", .. Mnist10k, "--out", "/proc/asym-run"]);
            Assert.Equal(ExitCodes.Usage, code);
            Assert.Contains("--out /proc/asym-run cannot be written: /proc does not accept new files", error);
        }
        // lmc says so before it loads data or times anything: an empty data folder would fail later with code 1.
        (code, var output, error) = CliRunner.Run("lmc", "--out", dir["file"], "--data-dir", dir["empty"]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("is a file, not a folder", error);
        Assert.DoesNotContain("estimated", output);
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("bench", "--no-torch", "--only", "sgemm-64x512x512", "--csv", dir.Path).Code);
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("demo", "--out", dir["file"]).Code);
        Assert.Single(Directory.EnumerateFileSystemEntries(dir.Path)); // only "file": no probe or run folder left
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("{}")]
    [InlineData("[1, 2]")]
    public void LmcOnAFolderWithADamagedRecipeNamesTheFileAndTouchesNothing(string recipe)
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["run"]);
        var path = Path.Combine(dir["run"], "recipe.json");
        File.WriteAllText(path, recipe);
        var (code, output, error) = CliRunner.Run("lmc", "--out", dir["run"], "--plan");
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains($"asym lmc: {path} is damaged", error);
        Assert.Contains("delete the folder (or choose another --out)", error);
        Assert.DoesNotContain("Exception", error + output);
        Assert.Equal(recipe, File.ReadAllText(path));
        Assert.Single(Directory.EnumerateFileSystemEntries(dir["run"]));
    }

    [Fact]
    public void TrainingThatBlowsUpWithoutNaNIsFlaggedAndRecordedInTheManifest()
    {
        using var dir = new TempDir();
        var (code, json) = CliRunner.Json(["train", .. Mnist10k, "--train-size", "256", "--optimizer", "sgd", "--momentum", "0", "--lr", "1000",
            "--out", dir["run"], "--json"]);
        Assert.Equal(ExitCodes.Success, code);
        var warning = Assert.Single(json!.Value.GetProperty("warnings").EnumerateArray()).GetString();
        Assert.Contains("blew up without becoming NaN", warning);
        var manifest = RunFolder.ReadManifest(dir["run"]);
        Assert.Contains("blew up", manifest.Results!["warnings"]![0]!.GetValue<string>());
        Assert.NotNull(manifest.Environment.Kernels); // the vector width's kernel paths, in every manifest

        // A run that learns has no warning.
        (code, json) = CliRunner.Json(["train", .. Mnist10k, "--train-size", "256", "--out", dir["ok"], "--json"]);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Empty(json!.Value.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public void ACheckpointWithNonFiniteWeightsEvaluatesWithAWarning()
    {
        using var dir = new TempDir();
        var net = ModelFactory.Create(ModelFactory.Preset("mlp", "standard"), 1);
        net.StateDict().First(kv => kv.Key.EndsWith("weight", StringComparison.Ordinal)).Value.Span[3] = float.NaN;
        Checkpoint.Save(dir["nan.safetensors"], net, new Dictionary<string, string> { ["dataset"] = "mnist10k" });
        var (code, output, error) = CliRunner.Run("eval", dir["nan.safetensors"], "--json");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("asym eval: warning:", error);
        Assert.Contains("non-finite values", error);
        Assert.Contains("non-finite values", JsonNode.Parse(output.Trim())!["warnings"]![0]!.GetValue<string>());
        // A dataset of another shape is a usage error, not a shape exception deep in the forward pass.
        (code, _, error) = CliRunner.Run("eval", dir["nan.safetensors"], "--dataset", "cifar100");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("takes [1, 28, 28] inputs and 10 classes; --dataset cifar100 has [3, 32, 32] and 100", error);
    }

    [Fact]
    public void ACheckpointConfigWithAnImpossibleSizeNamesTheFileAndTheField()
    {
        using var dir = new TempDir();
        var net = ModelFactory.Create(ModelFactory.Preset("mlp", "standard"), 1);
        var config = net.Config with { Width = 1_000_000_000 };
        Safetensors.Save(dir["wide.safetensors"], net.StateDict(),
            new Dictionary<string, string> { [Checkpoint.ConfigKey] = config.ToJson(), ["dataset"] = "mnist10k" });
        var (code, _, error) = CliRunner.Run("eval", dir["wide.safetensors"]);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains(dir["wide.safetensors"], error);
        Assert.Contains("has width 1000000000", error);
        Assert.DoesNotContain("2^31", error);
    }

    [Fact]
    public void AConfiglessCheckpointWithTheWrongModelLeadsWithADiagnosis()
    {
        using var dir = new TempDir();
        Safetensors.Save(dir["r.safetensors"], ModelFactory.Create(ModelFactory.Preset("resnet8", "standard"), 1).StateDict());
        var (code, _, error) = CliRunner.Run("eval", dir["r.safetensors"], "--dataset", "mnist10k", "--model", "mlp");
        Assert.Equal(ExitCodes.Failure, code);
        var first = error.Split('\n')[0];
        Assert.Contains("did you mean --model resnet8 --variant standard?", first);
        Assert.Contains("Details:", error);
    }

    [Fact]
    public void DataListCallsATruncatedDatasetDamaged()
    {
        using var tmp = new TempDir();
        var mnist = Path.Combine(tmp.Path, "mnist");
        DataFixtures.WriteMnistFolder(mnist, 20, 10, gzip: false);
        Assert.Equal(DatasetState.Present, DatasetCatalog.Mnist.Probe(DataPaths.Resolve(tmp.Path)).State);
        var images = Directory.GetFiles(mnist, "train-images*").Single();
        File.WriteAllBytes(images, File.ReadAllBytes(images)[..1000]);
        var (code, output, _) = CliRunner.Run("data", "list", "--data-dir", tmp.Path);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("damaged", output);
        Assert.Contains($"mnist is damaged: {images} holds 1,000 bytes, its IDX header says", output);

        // Compressed copies are unpacked to count (a recompressed copy need not have the published checksum).
        Directory.Delete(mnist, true);
        DataFixtures.WriteMnistFolder(mnist, 20, 10, gzip: true);
        Assert.Equal(DatasetState.Present, DatasetCatalog.Mnist.Probe(DataPaths.Resolve(tmp.Path)).State);
        images = Directory.GetFiles(mnist, "train-images*").Single();
        File.WriteAllBytes(images, File.ReadAllBytes(images)[..100]);
        var status = DatasetCatalog.Mnist.Probe(DataPaths.Resolve(tmp.Path));
        Assert.Equal(DatasetState.Damaged, status.State);
        Assert.Contains(images, status.Problem);
    }

    [Fact]
    public void ExitCodesFollowOneRule()
    {
        var (code, output, error) = CliRunner.Run();
        Assert.Equal(ExitCodes.Success, code); // bare `asym` prints help on purpose
        Assert.Contains("Exit codes: 0 success, 1 the work failed, 2 usage error", output);
        Assert.Equal("", error);
        Assert.Equal(ExitCodes.Success, CliRunner.Run("data").Code);
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("no-such-command").Code);
        (code, _, error) = CliRunner.Run("train", "--model", "mlp", "--epochs", "x");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("Run 'asym train --help'", error);
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("info", "--model", "mlp", "--variant", "sideways").Code);
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("info", "--model", "resnet-nope").Code);
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("info", "--model", "resnet20x0").Code);
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("info", "--model", "resnet99999999999").Code);
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("data", "fetch", "mnist", "--data-dir", "/dev/null/data").Code);
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("audit", "--model", "mlp", "--batch", "0").Code);
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("bench", "--no-torch", "--min-seconds", "nan").Code);
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("data", "fetch", "mnist", "--mirror", "ftp://example.org").Code);
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("lmc", "--pairs", "0").Code);
        Assert.Equal(ExitCodes.Failure, CliRunner.Run("eval", "/nonexistent/x.safetensors").Code);
        Assert.Equal(ExitCodes.Interrupted, CommandErrors.Guard("test", json: false, () => throw new OperationCanceledException()));
    }

    [Fact]
    public void OutputToAPipeHasNoColoursNoWrappingAndNoRedraws()
    {
        using var tmp = new TempDir();
        var deep = Path.Combine(tmp.Path, new string('d', 120));
        Directory.CreateDirectory(deep);
        foreach (var environment in new[] { null, new Dictionary<string, string> { [Terminal.NoColorVariable] = "1" } })
        {
            var (code, output, _) = CliRunner.Subprocess(environment, "data", "list", "--data-dir", deep);
            Assert.Equal(ExitCodes.Success, code);
            Assert.DoesNotContain('\u001b', output);
            Assert.Contains(deep, output); // one line, not split at 80 columns
        }
        var (trainCode, trainOutput, _) = CliRunner.Subprocess(null, ["train", .. Mnist10k, "--train-size", "128", "--out", Path.Combine(tmp.Path, "run")]);
        Assert.Equal(ExitCodes.Success, trainCode);
        Assert.DoesNotContain('\u001b', trainOutput);
        Assert.DoesNotContain('\r', trainOutput);
        Assert.Contains("epoch 1/1: train loss", trainOutput);
    }

    [Fact]
    public void HelpTextsSayWhatTheCommandsAccept()
    {
        var train = CliRunner.Run("train", "--help").Out;
        Assert.Contains("mnist10k", train);
        Assert.DoesNotContain("gnn,", train);
        Assert.Contains("resnet<depth>x<width>", CliRunner.Run("eval", "--help").Out);
        foreach (var command in new[] { "", "train", "eval", "info", "audit", "rebasin", "demo", "lmc" })
            Assert.DoesNotContain("sigma-Asym", CliRunner.Run([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]).Out);
    }
}
