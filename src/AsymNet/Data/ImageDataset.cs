using AsymNet.Tensors;

namespace AsymNet.Data;

/// <summary>
/// Labelled images kept as raw bytes, [N, C, H, W] row-major with values 0..255 (a quarter of the memory of
/// float32; loaders convert, augment and normalise batch by batch). Labels are class indices in [0, ClassCount).
/// </summary>
public sealed class ImageDataset
{
    public ImageDataset(string name, byte[] pixels, int[] labels, int channels, int height, int width, int classCount,
        NormalizationStats stats)
    {
        if (channels <= 0 || height <= 0 || width <= 0) throw new ArgumentException($"Image shape {channels}x{height}x{width} must be positive.");
        if (pixels.LongLength != (long)labels.Length * channels * height * width)
            throw new ArgumentException($"{labels.Length} images of {channels}x{height}x{width} need {(long)labels.Length * channels * height * width} bytes, got {pixels.LongLength}.");
        if (stats.Channels != channels) throw new ArgumentException($"Statistics '{stats.Name}' have {stats.Channels} channels, images have {channels}.");
        for (var i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classCount)
                throw new ArgumentException($"Label {labels[i]} of image {i} is outside [0, {classCount}).");
        Name = name;
        Pixels = pixels;
        Labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        ClassCount = classCount;
        Stats = stats;
    }

    public string Name { get; }

    /// <summary>All images, [N, C, H, W], 0..255.</summary>
    public byte[] Pixels { get; }

    public int[] Labels { get; }
    public int Count => Labels.Length;
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int ClassCount { get; }

    /// <summary>Bytes (= elements) per image, C·H·W.</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>The dataset's standard normalisation statistics; a recipe may use others.</summary>
    public NormalizationStats Stats { get; }

    /// <summary>Image <paramref name="index"/> as C·H·W bytes.</summary>
    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * ImageSize, ImageSize);

    /// <summary>Number of images per class.</summary>
    public int[] ClassHistogram()
    {
        var h = new int[ClassCount];
        foreach (var l in Labels) h[l]++;
        return h;
    }

    /// <summary>A copy holding only the given images, in the given order.</summary>
    public ImageDataset Subset(ReadOnlySpan<int> indices, string? name = null)
    {
        var pixels = new byte[(long)indices.Length * ImageSize];
        var labels = new int[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            Image(indices[i]).CopyTo(pixels.AsSpan(i * ImageSize, ImageSize));
            labels[i] = Labels[indices[i]];
        }
        return new ImageDataset(name ?? Name, pixels, labels, Channels, Height, Width, ClassCount, Stats);
    }

    /// <summary>A copy with <paramref name="padding"/> black (zero) pixels added on every side of every image.</summary>
    public ImageDataset Padded(int padding)
    {
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, "Padding must be non-negative.");
        if (padding == 0) return this;
        int h = Height + 2 * padding, w = Width + 2 * padding, size = Channels * h * w;
        var pixels = new byte[(long)Count * size];
        for (var i = 0; i < Count; i++)
        for (var c = 0; c < Channels; c++)
        for (var y = 0; y < Height; y++)
            Image(i).Slice((c * Height + y) * Width, Width).CopyTo(pixels.AsSpan(i * size + (c * h + y + padding) * w + padding, Width));
        return new ImageDataset(Name, pixels, Labels, Channels, h, w, ClassCount, Stats);
    }

    /// <summary>Images as a persistent float tensor [n, C, H, W], normalised with <paramref name="stats"/> (default: <see cref="Stats"/>).</summary>
    public Tensor ToTensor(ReadOnlySpan<int> indices, NormalizationStats? stats = null)
    {
        var t = Tensor.Persistent(indices.Length, Channels, Height, Width);
        var dst = t.Span;
        var plane = Height * Width;
        for (var i = 0; i < indices.Length; i++)
            ImageOps.ToFloat(Image(indices[i]), dst.Slice(i * ImageSize, ImageSize), plane, stats ?? Stats);
        return t;
    }

    /// <summary>All images as a persistent normalised tensor [N, C, H, W].</summary>
    public Tensor ToTensor(NormalizationStats? stats = null)
    {
        var all = new int[Count];
        for (var i = 0; i < all.Length; i++) all[i] = i;
        return ToTensor(all, stats);
    }
}
