using AsymNet.Tests.Data;

namespace AsymNet.Tests.Cli;

/// <summary>`asym train` then `asym eval` through the real command line on the embedded MNIST digits.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TrainEvalCliTests
{
    [Fact]
    public void BadArgumentsGiveAnErrorNotACrash()
    {
        using var dir = new TempDir();
        var (code, json) = CliRunner.Json("train", "--model", "mlp", "--dataset", "mnist10k", "--schedule", "cosine", "--out", dir["r"], "--json");
        Assert.Equal(1, code);
        Assert.Contains("schedule", json!.Value.GetProperty("message").GetString());
        Assert.Equal(1, CliRunner.Json("eval", dir["missing.safetensors"], "--json").Code);
    }
}
