using AsymNet.NN.Asymmetry;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;
using AsymNet.Tensors;

namespace AsymNet.Tests.NN;

/// <summary>
/// State dicts saved from the authors' PyTorch MLPs (tools/reference/torch_checkpoint_reference.py: authors' keys, no
/// AsymNet config) load into the matching AsymNet model and compute PyTorch's outputs.
/// </summary>
public sealed class TorchCheckpointTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Reference", "checkpoints");

    private static ModelConfig Config(string variant) => ModelFactory.Preset("mlp", variant) with
    {
        InputShape = [1, 8, 8],
        Width = 32,
        Depth = 3,
        Asymmetry = variant == "w"
            ? [LayerAsymmetry.Entries("lins.0", 8, 1.0), LayerAsymmetry.Entries("lins.1", 8, 0.5), LayerAsymmetry.Entries("lins.2", 8, 0.25)]
            : [],
    };

    [Theory]
    [InlineData("standard")]
    [InlineData("w")]
    public void AuthorsPyTorchStateDictLoadsAndMatchesItsOutputs(string variant)
    {
        var path = Path.Combine(Dir, $"mlp-{variant}.safetensors");
        Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));
        var model = Checkpoint.Load(path, Config(variant));
        if (variant == "w") Assert.Equal(32 * 8 + 32 * 8 + 10 * 8, model.FixedParameterCount());
        var io = Safetensors.Load(Path.Combine(Dir, $"mlp-{variant}.io.safetensors"));
        var expected = io["output"].ToFloatArray();
        var got = CheckpointTests.Outputs(model, io["input"].ToTensor());
        Assert.Equal(expected.Length, got.Length);
        for (var i = 0; i < got.Length; i++)
            Assert.True(Math.Abs(got[i] - expected[i]) <= 1e-5 + 1e-5 * Math.Abs(expected[i]), $"logit {i}: {got[i]} vs PyTorch {expected[i]}");
    }
}
