using AsymNet.NN.Models;

namespace AsymNet.Tests.NN;

/// <summary>State-dict keys and order equal the authors' PyTorch modules', so their checkpoints load.</summary>
public class StateDictKeyTests
{
    private static List<string> Keys(string preset, string variant) =>
        ModelFactory.Create(ModelFactory.Preset(preset, variant), 1).StateDict().Select(kv => kv.Key).ToList();

    [Fact]
    public void StandardMlpHasTheAuthorsKeys()
    {
        string[] expected =
        [
            "lins.0.weight", "lins.0.bias", "lins.1.weight", "lins.1.bias", "lins.2.weight", "lins.2.bias",
            "lins.3.weight", "lins.3.bias",
            "norms.0.weight", "norms.0.bias", "norms.1.weight", "norms.1.bias", "norms.2.weight", "norms.2.bias",
        ];
        Assert.Equal(expected, Keys("mlp", "standard"));
    }

    [Fact]
    public void WAsymMlpAddsMaskAndNormalMaskAfterEachLinearsParameters()
    {
        var keys = Keys("mlp", "w");
        Assert.Equal(["lins.0.weight", "lins.0.bias", "lins.0.mask", "lins.0.normal_mask", "lins.1.weight"], keys.Take(5));
        Assert.Equal(22, keys.Count);
    }

    [Fact]
    public void SigmaMlpStoresFiGluMatricesBetweenLinsAndNorms()
    {
        var keys = Keys("mlp", "sigma");
        Assert.Equal(["lins.3.bias", "activations.0.C", "activations.1.C", "activations.2.C", "norms.0.weight"], keys.Skip(7).Take(5));
    }

    [Fact]
    public void StandardResNet20HasTheAuthorsKeys()
    {
        var expected = new List<string> { "conv1.weight", "ln1.weight", "ln1.bias" };
        string[] block = ["conv1.weight", "ln1.weight", "ln1.bias", "conv2.weight", "ln2.weight", "ln2.bias"];
        string[] shortcut = ["shortcut.0.weight", "shortcut.1.weight", "shortcut.1.bias"];
        for (var s = 1; s <= 3; s++)
            for (var b = 0; b < 3; b++)
            {
                expected.AddRange(block.Select(k => $"layer{s}.{b}.{k}"));
                if (s > 1 && b == 0) expected.AddRange(shortcut.Select(k => $"layer{s}.{b}.{k}"));
            }
        expected.AddRange(["linear.weight", "linear.bias"]);
        Assert.Equal(65, expected.Count);
        Assert.Equal(expected, Keys("resnet20", "standard"));
    }

    [Fact]
    public void SigmaResNetFollowsTheAuthorsSigmaBasicBlockLayout()
    {
        var keys = Keys("resnet8", "sigma");
        Assert.Equal(["layer1.0.ln2.bias", "layer1.0.nonlin1.F_mat", "layer1.0.nonlin2.F_mat", "layer2.0.conv1.weight"],
            keys.Skip(8).Take(4));
        Assert.Equal(["linear.weight", "linear.bias", "nonlin.F_mat"], keys.TakeLast(3));
    }

    [Fact]
    public void GnnHasTheAuthorsMyGnnKeys()
    {
        var keys = Keys("gnn", "standard");
        Assert.Equal(
        [
            "convs.0.mlp.0.weight", "convs.0.mlp.0.bias", "convs.0.mlp.1.weight", "convs.0.mlp.1.bias",
            "convs.0.mlp.1.running_mean", "convs.0.mlp.1.running_var", "convs.0.mlp.1.num_batches_tracked",
        ], keys.Take(7));
        Assert.Equal(["lin.weight", "lin.bias"], keys.TakeLast(2));
        Assert.Contains("convs.2.mlp.2.C", Keys("gnn", "sigma"));
    }
}
