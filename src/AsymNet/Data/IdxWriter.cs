namespace AsymNet.Data;

/// <summary>Writes unsigned-byte IDX files (the format <see cref="IdxReader"/> reads), for caches and test fixtures.</summary>
public static class IdxWriter
{
    public static void Write(Stream output, ReadOnlySpan<int> dims, ReadOnlySpan<byte> data)
    {
        var total = 1L;
        foreach (var d in dims) total *= d;
        if (total != data.Length) throw new ArgumentException($"Dimensions hold {total} bytes, data has {data.Length}.");
        Span<byte> head = stackalloc byte[4 + 4 * dims.Length];
        head[2] = 0x08;
        head[3] = (byte)dims.Length;
        for (var i = 0; i < dims.Length; i++)
        {
            var d = dims[i];
            head[4 + 4 * i] = (byte)(d >> 24);
            head[5 + 4 * i] = (byte)(d >> 16);
            head[6 + 4 * i] = (byte)(d >> 8);
            head[7 + 4 * i] = (byte)d;
        }
        output.Write(head);
        output.Write(data);
    }

    /// <summary>Writes an images file [N, H, W] and a labels file [N] for a one-channel dataset.</summary>
    public static void WriteDataset(ImageDataset data, string imagesPath, string labelsPath)
    {
        if (data.Channels != 1) throw new ArgumentException("IDX image files hold one channel.");
        AtomicFile.Write(imagesPath, s => Write(s, [data.Count, data.Height, data.Width], data.Pixels));
        var labels = new byte[data.Count];
        for (var i = 0; i < labels.Length; i++) labels[i] = checked((byte)data.Labels[i]);
        AtomicFile.Write(labelsPath, s => Write(s, [data.Count], labels));
    }
}
