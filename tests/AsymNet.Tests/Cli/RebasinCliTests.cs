using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;
using AsymNet.Symmetry.Audit;
using AsymNet.Tensors;
using AsymNet.Tests.Data;
using AsymNet.Tests.Symmetry;

namespace AsymNet.Tests.Cli;

/// <summary>`asym rebasin` through the real command line on checkpoints written by AsymNet and "by PyTorch".</summary>
[Collection(ConsoleCollection.Name)]
public sealed class RebasinCliTests
{
    [Fact]
    public void WritesBAlignedAsTheSameFunctionWithAHigherObjective()
    {
        using var dir = new TempDir();
        var config = WeightMatchingTests.SmallMlp(NormKind.Layer);
        var b = ModelFactory.Create(config, 2);
        Checkpoint.Save(dir["a.safetensors"], ModelFactory.Create(config, 1));
        Checkpoint.Save(dir["b.safetensors"], b, new Dictionary<string, string> { ["dataset"] = "mnist10k" });

        var (code, json) = CliRunner.Json("rebasin", "--a", dir["a.safetensors"], "--b", dir["b.safetensors"], "--out", dir["c.safetensors"], "--json");
        Assert.Equal(0, code);
        var report = json!.Value;
        Assert.True(report.GetProperty("objectiveAfter").GetDouble() > report.GetProperty("objectiveBefore").GetDouble());
        Assert.True(report.GetProperty("maxAbsLogitChange").GetDouble() <= 1e-4);
        Assert.Equal(3, report.GetProperty("permutations").GetArrayLength());
        Assert.True(report.GetProperty("converged").GetBoolean());

        var file = Safetensors.Load(dir["c.safetensors"]);
        Assert.Equal("mnist10k", file.Metadata["dataset"]);
        Assert.Equal("a.safetensors", file.Metadata["rebasin_a"]);
        var c = Checkpoint.Load(file);
        var x = Tensor.Persistent(8, 40);
        new Rng(1).FillNormal(x.Span);
        Assert.True(FunctionComparison.MaxAbsDifference(b, c, x) <= 1e-4);
        Assert.False(b.StateDict()[0].Value.Span.SequenceEqual(c.StateDict()[0].Value.Span), "The aligned weights should be permuted.");
    }

    [Fact]
    public void ConfiglessCheckpointsNeedAndTakeModel()
    {
        // As PyTorch's safetensors.torch.save_file(model.state_dict()) writes them: tensors, no AsymNet config.
        using var dir = new TempDir();
        var config = ModelFactory.Preset("resnet8", "standard");
        Safetensors.Save(dir["a.safetensors"], ModelFactory.Create(config, 1).StateDict());
        Safetensors.Save(dir["b.safetensors"], ModelFactory.Create(config, 2).StateDict());
        string[] args = ["rebasin", "--a", dir["a.safetensors"], "--b", dir["b.safetensors"], "--out", dir["c.safetensors"], "--json"];

        var (code, json) = CliRunner.Json(args);
        Assert.Equal(1, code);
        Assert.Contains("--model", json!.Value.GetProperty("message").GetString());

        (code, json) = CliRunner.Json([.. args, "--model", "resnet8"]);
        Assert.Equal(0, code);
        Assert.Equal(6, json!.Value.GetProperty("permutations").GetArrayLength());
        Assert.True(File.Exists(dir["c.safetensors"]));
    }

    [Fact]
    public void MismatchedOrMissingCheckpointsGiveAnErrorNotACrash()
    {
        using var dir = new TempDir();
        Checkpoint.Save(dir["a.safetensors"], ModelFactory.Create(WeightMatchingTests.SmallMlp(NormKind.Layer), 1));
        Checkpoint.Save(dir["b.safetensors"], ModelFactory.Create(WeightMatchingTests.SmallMlp(NormKind.Layer) with { Width = 24 }, 2));
        var (code, json) = CliRunner.Json("rebasin", "--a", dir["a.safetensors"], "--b", dir["b.safetensors"], "--out", dir["c.safetensors"], "--json");
        Assert.Equal(1, code);
        Assert.Contains("lins.0.weight", json!.Value.GetProperty("message").GetString());
        Assert.False(File.Exists(dir["c.safetensors"]));
        Assert.Equal(1, CliRunner.Json("rebasin", "--a", dir["missing.safetensors"], "--b", dir["b.safetensors"], "--out", dir["c.safetensors"], "--json").Code);
    }
}
