using System.Globalization;
using AsymNet.Experiments.Zoo;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;
using AsymNet.Tensors;

namespace AsymNet.Tests.Experiments.Metanet;

/// <summary>
/// Writes a small zoo in the zoo folder format: untrained ResNet8s (standard and W-Asym, one architecture seed, so the
/// W-Asym networks share masks and F) whose weights are scaled by a per-network factor s ∈ [0.5, 1.5], and a zoo.csv
/// whose "test accuracy" is 0.3 + 0.4·(s − 0.5): a target the weights determine, so metanets have something to fit.
/// The W-Asym files hold the effective weight (κF at fixed entries), "mask" and "normal_mask", as the authors' do.
/// </summary>
public static class SyntheticZoo
{
    public static void Write(string dir, int networks, string[]? variants = null, int diverged = -1)
    {
        var lines = new List<string> { ZooNetworkResult.CsvHeader };
        foreach (var variant in variants ?? ["standard", "w"])
        {
            var config = ModelPresets.Get("resnet8", ModelFactory.ParseVariant(variant), null, 0);
            for (var i = 0; i < networks; i++)
            {
                var scale = 0.5f + new Rng((ulong)i + 100).NextFloat();
                var model = ModelFactory.Create(config, (ulong)i + 1);
                foreach (var (_, p) in model.NamedParameters())
                {
                    var span = p.Span;
                    for (var k = 0; k < span.Length; k++) span[k] *= scale;
                }
                var path = new ZooFolder(dir).TrainedPath(ModelFactory.ParseVariant(variant), i);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                Safetensors.Save(path, model.EffectiveStateDict());
                var accuracy = 0.3 + 0.4 * (scale - 0.5);
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{i},{variant},{i + 1},0.01,0.0001,0.1,10,1.0,{accuracy + 0.01:R},1.1,{accuracy:R},{(i == diverged ? 1 : 0)},1.5"));
            }
        }
        File.WriteAllLines(Path.Combine(dir, ZooFolder.ZooCsvFile), lines);
    }
}
