using AsymNet.Tensors;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// A few fixed batches of standard-normal images (like normalised CIFAR-10) with uniform labels, cycled by the
/// convolutional workloads: throughput does not depend on the pixel values, and both sides then need no dataset.
/// </summary>
public sealed class SyntheticBatches
{
    private readonly Tensor[] _images;
    private readonly int[][] _labels;

    public SyntheticBatches(int batch, int count, ulong seed, int channels = 3, int height = 32, int width = 32, int classes = 10)
    {
        var rng = new Rng(seed);
        _images = new Tensor[count];
        _labels = new int[count][];
        for (var b = 0; b < count; b++)
        {
            _images[b] = Tensor.Persistent(batch, channels, height, width);
            rng.FillNormal(_images[b].Span);
            _labels[b] = new int[batch];
            for (var i = 0; i < batch; i++) _labels[b][i] = (int)(rng.NextUInt64() % (ulong)classes);
        }
    }

    public int Batch => _images[0].Shape[0];

    /// <summary>Batch <paramref name="step"/> modulo the count.</summary>
    public (Tensor Images, int[] Labels) this[int step] => (_images[step % _images.Length], _labels[step % _labels.Length]);
}
