namespace AsymNet.Data;

/// <summary>
/// Per-channel mean and standard deviation on the [0, 1] pixel scale (torchvision's ToTensor scale):
/// normalised = (pixel / 255 − Mean[c]) / Std[c].
/// </summary>
public sealed record NormalizationStats(string Name, float[] Mean, float[] Std)
{
    public int Channels => Mean.Length;

    /// <summary>MNIST training set (docs/paper.md#lmc-mlp-recipe).</summary>
    public static NormalizationStats Mnist { get; } = new("mnist", [0.1307f], [0.3081f]);

    /// <summary>Fashion-MNIST training set, measured over the 60,000 training images.</summary>
    public static NormalizationStats FashionMnist { get; } = new("fashion-mnist", [0.2860f], [0.3530f]);

    /// <summary>CIFAR-10 training set, measured.</summary>
    public static NormalizationStats Cifar10 { get; } = new("cifar10", [0.4914f, 0.4822f, 0.4465f], [0.2470f, 0.2435f, 0.2616f]);

    /// <summary>CIFAR-100 training set, measured.</summary>
    public static NormalizationStats Cifar100 { get; } = new("cifar100", [0.5071f, 0.4865f, 0.4409f], [0.2673f, 0.2564f, 0.2762f]);

    /// <summary>ImageNet statistics, which the LMC CIFAR-10 script uses (docs/paper.md#lmc-resnet-recipe).</summary>
    public static NormalizationStats ImageNet { get; } = new("imagenet", [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>The rounded CIFAR statistics of the BNN scripts (docs/paper.md#bnn-data).</summary>
    public static NormalizationStats BnnCifar { get; } = new("bnn-cifar", [0.491f, 0.482f, 0.447f], [0.247f, 0.243f, 0.261f]);

    /// <summary>The FFCV metanet recipe's statistics, given there on the 0–255 scale
    /// (docs/paper.md#zoo-training).</summary>
    public static NormalizationStats FfcvCifar { get; } = new("ffcv-cifar",
        [125.307f / 255f, 122.961f / 255f, 113.8575f / 255f], [51.5865f / 255f, 50.847f / 255f, 51.255f / 255f]);

    /// <summary>Mean and (population) standard deviation of each channel over every pixel of the images.</summary>
    public static NormalizationStats Compute(ImageDataset data, string name)
    {
        var c = data.Channels;
        var plane = data.Height * data.Width;
        var sum = new long[c];
        var sumSq = new long[c];
        var pixels = data.Pixels;
        for (var i = 0; i < data.Count; i++)
        for (var ch = 0; ch < c; ch++)
        {
            var span = pixels.AsSpan((i * c + ch) * plane, plane);
            long s = 0, s2 = 0;
            foreach (var b in span)
            {
                s += b;
                s2 += b * b;
            }
            sum[ch] += s;
            sumSq[ch] += s2;
        }
        var n = (double)data.Count * plane;
        var mean = new float[c];
        var std = new float[c];
        for (var ch = 0; ch < c; ch++)
        {
            var m = sum[ch] / n;
            mean[ch] = (float)(m / 255);
            std[ch] = (float)(Math.Sqrt(Math.Max(0, sumSq[ch] / n - m * m)) / 255);
        }
        return new NormalizationStats(name, mean, std);
    }
}
