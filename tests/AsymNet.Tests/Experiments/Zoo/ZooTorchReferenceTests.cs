using System.Text.Json;
using AsymNet.Experiments.Zoo;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Layers;
using AsymNet.NN.Models;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Experiments.Zoo;

/// <summary>
/// A zoo saved by AsymNet (Reference/zoo: `asym zoo` on Fashion-MNIST, one network per variant) loads into the authors'
/// PyTorch ResNet8 (tools/reference/zoo_reference.py: strict load_state_dict, W-Asym masks 0/1 with κF at the fixed
/// entries) and gives there the test accuracy and loss that zoo.csv records.
/// </summary>
public sealed class ZooTorchReferenceTests
{
    private static string Zoo => Path.Combine(AppContext.BaseDirectory, "Reference", "zoo");

    [Fact]
    public void EveryZooNetworkHasTheAuthorsKeysAndShapesAndTorchGivesTheRecordedAccuracy()
    {
        var torch = ReferenceJson.Load("zoo", "torch_eval", "zoo_reference.py").GetProperty("networks").EnumerateArray().ToList();
        var folder = new ZooFolder(Zoo);
        var rows = folder.ReadZooCsv();
        Assert.Equal(3, rows.Count);
        Assert.Equal(rows.Count, torch.Count);
        foreach (var t in torch)
        {
            var variant = ModelFactory.ParseVariant(t.GetProperty("variant").GetString()!);
            var index = t.GetProperty("index").GetInt32();
            var row = rows.Single(r => r.Variant == variant && r.Index == index);
            var model = Checkpoint.Load(folder.TrainedPath(variant, index));
            var state = model.StateDict();
            Assert.Equal(t.GetProperty("keys").EnumerateArray().Select(k => k.GetString()), state.Select(kv => kv.Key));
            Assert.Equal(t.GetProperty("shapes").EnumerateArray().Select(s => string.Join(',', ReferenceJson.Ints(s))),
                state.Select(kv => string.Join(',', kv.Value.Shape)));
            Assert.Equal(model.FixedLayers().Sum(f => f.Fixed.FixedCount()), t.GetProperty("fixed").GetInt64());
            // PyTorch's argmax and AsymNet's agree on all but at most a near-tie or two of the test images.
            var count = t.GetProperty("count").GetInt32();
            Assert.InRange(Math.Abs(t.GetProperty("test_accuracy").GetDouble() - row.TestAccuracy) * count, 0, 2.5);
            Assert.Equal(t.GetProperty("test_loss").GetDouble(), row.TestLoss, 1e-4);
        }
        // The W-Asym network fixes 8 input filters per output channel (the stem's single input channel entirely) and 8 entries per head row.
        var w = Checkpoint.Load(folder.TrainedPath(Variant.W, 0));
        Assert.Equal(16 * 9 + 2 * 16 * 8 * 9 + 32 * 8 * 9 + 32 * 8 * 9 + 32 * 8 + 64 * 8 * 9 + 64 * 8 * 9 + 64 * 8 + 10 * 8,
            w.FixedLayers().Sum(f => f.Fixed.FixedCount()));
        Assert.Contains(w.NamedModules(), m => m.Module is WAsymConv2d);
    }
}
