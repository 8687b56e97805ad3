using System.Buffers.Binary;

namespace AsymNet.Data;

/// <summary>
/// Cheap checks that an installed dataset is whole, for <c>asym data list</c>: published checksums of downloaded
/// files, the length an IDX header implies, the fixed record sizes of the CIFAR binaries. Each returns what is wrong
/// (naming the file), or null.
/// </summary>
public static class DatasetIntegrity
{
    /// <summary>
    /// An MNIST-format folder: every IDX file, compressed or not, must be as long as its header says. A compressed file
    /// with the checksum the source publishes for its name passes without unpacking; others (e.g. Debian's
    /// recompressed copies) are unpacked to count.
    /// </summary>
    public static string? IdxFolder(string dir, FetchSource source)
    {
        foreach (var (split, kind, idx) in new[] { ("train", "images", "idx3"), ("train", "labels", "idx1"), ("test", "images", "idx3"), ("test", "labels", "idx1") })
        {
            var path = MnistFolder.FindFile(dir, split, kind, idx);
            if (path is null) return $"no {split} {kind} file in {dir}";
            if (path.EndsWith(".gz", StringComparison.Ordinal) && HasPublishedChecksum(path, source)) continue;
            if (IdxLength(path) is { } problem) return problem;
        }
        return null;
    }

    /// <summary>Files of known sizes (relative to <paramref name="dir"/>).</summary>
    public static string? Sizes(string dir, IEnumerable<(string File, long Bytes)> files)
    {
        foreach (var (file, bytes) in files)
        {
            var path = Path.Combine(dir, file);
            var actual = File.Exists(path) ? new FileInfo(path).Length : -1;
            if (actual != bytes) return actual < 0 ? $"{path} is missing" : $"{path} has {actual:N0} bytes, {bytes:N0} expected (truncated or altered)";
        }
        return null;
    }

    private static bool HasPublishedChecksum(string path, FetchSource source) =>
        source.Files.FirstOrDefault(f => f.FileName == Path.GetFileName(path)) is { } remote && remote.Checksum.Compute(path) == remote.Checksum.Hex;

    /// <summary>IDX: 0, 0, element type, number of dimensions, then big-endian int32 sizes, then the elements.</summary>
    private static string? IdxLength(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            using var stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress) : (Stream)file;
            return IdxLength(path, stream);
        }
        catch (InvalidDataException e)
        {
            return $"{path} cannot be unpacked ({e.Message}; truncated or altered)";
        }
    }

    private static string? IdxLength(string path, Stream stream)
    {
        Span<byte> head = stackalloc byte[4];
        if (stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 4) return $"{path} is shorter than an IDX header";
        int element = head[2] switch { 0x08 or 0x09 => 1, 0x0B => 2, 0x0C or 0x0D => 4, 0x0E => 8, _ => 0 };
        if (head[0] != 0 || head[1] != 0 || element == 0) return $"{path} is not an IDX file (magic {Convert.ToHexString(head)})";
        Span<byte> dims = stackalloc byte[4 * head[3]];
        if (stream.ReadAtLeast(dims, dims.Length, throwOnEndOfStream: false) < dims.Length) return $"{path}: its IDX header is cut off";
        long expected = 4 + dims.Length;
        long count = 1;
        for (var i = 0; i < head[3]; i++) count *= BinaryPrimitives.ReadInt32BigEndian(dims[(4 * i)..]);
        expected += count * element;
        var length = 4L + dims.Length + Remaining(stream);
        return length == expected ? null : $"{path} holds {length:N0} bytes{(stream is FileStream ? "" : " unpacked")}, its IDX header says {expected:N0} (truncated or altered)";
    }

    private static long Remaining(Stream stream)
    {
        if (stream.CanSeek) return stream.Length - stream.Position;
        var buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = stream.Read(buffer)) > 0) total += n;
        return total;
    }
}
