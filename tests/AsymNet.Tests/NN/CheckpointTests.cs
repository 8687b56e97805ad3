using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;
using AsymNet.Tensors;
using AsymNet.Tests.Data;

namespace AsymNet.Tests.NN;

public sealed class CheckpointTests
{
    /// <summary>A small W-Asym MLP without norm layers (fast, and independent of the norm ops).</summary>
    internal static ModelConfig SmallWMlp(ulong archSeed = 3) =>
        ModelFactory.Preset("mlp", "w", architectureSeed: archSeed) with { Norm = NormKind.None, Width = 48 };

    internal static float[] Outputs(Model model, Tensor x)
    {
        using var scope = TensorScope.Begin();
        using var _ = GradMode.NoGrad();
        model.Eval();
        return model.Forward(x).ToArray();
    }

    internal static Tensor Input(int n = 5)
    {
        var x = Tensor.Persistent(n, 1, 28, 28);
        new Rng(11).FillNormal(x.Span);
        return x;
    }

    [Fact]
    public void RoundTripGivesIdenticalStateAndOutputs()
    {
        using var dir = new TempDir();
        var model = ModelFactory.Create(SmallWMlp(), initSeed: 7);
        var path = dir["m.safetensors"];
        Checkpoint.Save(path, model, new Dictionary<string, string> { ["init_seed"] = "7" });

        var file = Safetensors.Load(path);
        Assert.Equal("7", file.Metadata["init_seed"]);
        Assert.Equal(model.Config, Checkpoint.ConfigOf(file));
        var loaded = Checkpoint.Load(file);
        Assert.Equal(model.Config, loaded.Config);
        Assert.Equal(model.StateDict().Select(kv => kv.Key), loaded.StateDict().Select(kv => kv.Key));
        foreach (var ((k, a), (_, b)) in model.StateDict().Zip(loaded.StateDict()))
            Assert.True(a.ToArray().AsSpan().SequenceEqual(b.ToArray()), k);
        var x = Input();
        Assert.Equal(Outputs(model, x), Outputs(loaded, x));
        // A differently initialised model really differs, so the equality above is not vacuous.
        Assert.NotEqual(Outputs(model, x), Outputs(ModelFactory.Create(SmallWMlp(), initSeed: 8), x));
    }

    [Fact]
    public void ConfiglessFileLoadsWithANamedArchitecture()
    {
        using var dir = new TempDir();
        var model = ModelFactory.Create(SmallWMlp(), initSeed: 1);
        var path = dir["torch.safetensors"];
        Safetensors.Save(path, model.StateDict()); // what safetensors.torch.save_file writes: keys only
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("--model", e.Message);
        var loaded = Checkpoint.Load(path, SmallWMlp());
        var x = Input();
        Assert.Equal(Outputs(model, x), Outputs(loaded, x));
    }

    [Fact]
    public void MismatchedKeysAndShapesAreListedWithTheFileName()
    {
        using var dir = new TempDir();
        var path = dir["bad.safetensors"];
        var sd = ModelFactory.Create(SmallWMlp(), 1).StateDict();
        var edited = sd.Where(kv => kv.Key != "lins.0.bias")
            .Select(kv => kv.Key == "lins.1.weight" ? new KeyValuePair<string, Tensor>(kv.Key, Tensor.Persistent(3, 3)) : kv)
            .Append(new("extra.weight", Tensor.Persistent(1)));
        Safetensors.Save(path, edited);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, SmallWMlp()));
        Assert.Contains(path, e.Message);
        Assert.Contains("missing key 'lins.0.bias'", e.Message);
        Assert.Contains("unexpected key 'extra.weight'", e.Message);
        Assert.Contains("'lins.1.weight': shape [3, 3]", e.Message);
    }

    [Fact]
    public void PyTorchInt64BatchCountLoadsIntoTheFloatBuffer()
    {
        using var dir = new TempDir();
        var config = ModelFactory.Preset("mlp", "standard") with { Norm = NormKind.Batch, Width = 16, Depth = 2 };
        var model = ModelFactory.Create(config, 1);
        var entries = model.StateDict().Select(kv => kv.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)
            ? new SafetensorsTensor(kv.Key, SafetensorsDType.I64, [], BitConverter.GetBytes(1234L))
            : SafetensorsTensor.FromTensor(kv.Key, kv.Value));
        var path = dir["bn.safetensors"];
        Safetensors.Save(path, entries);
        var loaded = Checkpoint.Load(path, config);
        Assert.Equal(1234f, loaded.StateDict().Single(kv => kv.Key == "norms.0.num_batches_tracked").Value.Item());
    }

    [Fact]
    public void MasksAndFixedValuesSurviveTheRoundTrip()
    {
        using var dir = new TempDir();
        var model = ModelFactory.Create(SmallWMlp(archSeed: 9), initSeed: 2);
        Checkpoint.Save(dir["w.safetensors"], model);
        var loaded = Checkpoint.Load(dir["w.safetensors"]);
        Assert.Equal(model.FixedStateHash(), loaded.FixedStateHash());
        Assert.Equal(model.FixedParameterCount(), loaded.FixedParameterCount());
    }
}
