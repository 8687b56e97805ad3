using AsymNet.Data;
using AsymNet.Tensors;

namespace AsymNet.Tests.NN.Training;

/// <summary>A learnable 28×28 grey-scale task: class c lights up row band c (plus noise), labels cycle 0..9.</summary>
public static class SyntheticImages
{
    public static ImageDataset Create(int count, ulong seed, string name = "synthetic")
    {
        var rng = new Rng(seed);
        var pixels = new byte[count * 28 * 28];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var c = labels[i] = (int)(rng.NextUInt64() % 10);
            var img = pixels.AsSpan(i * 784, 784);
            for (var p = 0; p < 784; p++)
            {
                var row = p / 28;
                var lit = row >= 2 + 2 * c && row < 4 + 2 * c;
                img[p] = (byte)Math.Clamp((lit ? 150 : 40) + rng.NextInt(90), 0, 255);
            }
        }
        return new ImageDataset(name, pixels, labels, 1, 28, 28, 10, NormalizationStats.FashionMnist);
    }
}
