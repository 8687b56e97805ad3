using AsymNet.Tensors;

namespace AsymNet.Data;

/// <summary>
/// One minibatch: images [B, C, H, W] (float, augmented and normalised), their labels and dataset indices.
/// Owned by the loader and reused: valid until the loader is asked for the batch after next (double buffering).
/// </summary>
public sealed class ImageBatch
{
    internal ImageBatch(Tensor images, int count)
    {
        Images = images;
        Labels = new int[count];
        Indices = new int[count];
    }

    public Tensor Images { get; }
    public int[] Labels { get; }

    /// <summary>Which dataset images these are.</summary>
    public int[] Indices { get; }

    public int Count => Labels.Length;
}
