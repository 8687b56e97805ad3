using System.Runtime.InteropServices;
using System.Security.Cryptography;
using AsymNet.Tensors;

namespace AsymNet.Data;

/// <summary>
/// A binary snapshot of a <see cref="GraphDataset"/> so derived or slow-to-parse graphs load in milliseconds.
/// Layout (little-endian): "ASYMGRF1", eight int32 sizes (nodes, features, classes, adjacency entries, train,
/// valid, test, reserved 0), features float32[N·F], labels int32[N], row pointers int32[N+1], columns int32[E],
/// train/valid/test int32 arrays, then the SHA-256 of everything before it. Any mismatch is a
/// <see cref="DataFormatException"/>; callers treat that as "rebuild".
/// </summary>
public static class GraphCache
{
    private static readonly byte[] Magic = "ASYMGRF1"u8.ToArray();
    private const int HeaderInts = 8;
    private const int HeaderBytes = 8 + 4 * HeaderInts;

    /// <summary>The cached graph at <paramref name="path"/>, or <paramref name="build"/>'s result, cached there for next time.</summary>
    public static GraphDataset GetOrBuild(string path, string name, Func<GraphDataset> build)
    {
        if (File.Exists(path))
        {
            try
            {
                return Read(path, name);
            }
            catch (DataFormatException)
            {
                // A damaged cache is rebuilt.
            }
        }
        var graph = build();
        Write(path, graph);
        return graph;
    }

    public static void Write(string path, GraphDataset g)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Graph caches are little-endian.");
        AtomicFile.Write(path, stream =>
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            void Put(ReadOnlySpan<byte> bytes)
            {
                stream.Write(bytes);
                sha.AppendData(bytes);
            }
            Put(Magic);
            int[] header = [g.NodeCount, g.FeatureCount, g.ClassCount, g.Adjacency.EdgeCount, g.TrainIndex.Length, g.ValidIndex.Length, g.TestIndex.Length, 0];
            Put(MemoryMarshal.AsBytes(header.AsSpan()));
            Put(MemoryMarshal.AsBytes(g.Features.Span));
            foreach (var a in new[] { g.Labels, g.Adjacency.RowPointers, g.Adjacency.ColumnIndices, g.TrainIndex, g.ValidIndex, g.TestIndex })
                Put(MemoryMarshal.AsBytes(a.AsSpan()));
            stream.Write(sha.GetHashAndReset());
        });
    }

    public static GraphDataset Read(string path, string name)
    {
        using var input = DataInput.Open(path);
        return Read(input, name);
    }

    /// <summary><see cref="Read(string, string)"/> over an open input.</summary>
    public static GraphDataset Read(DataInput input, string name)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Graph caches are little-endian.");
        var path = input.Name;
        if (input.IsCompressed) throw DataFormatException.AtByte(path, 0, "gzip data, expected an uncompressed graph cache");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var head = new byte[HeaderBytes];
        input.ReadExactly(head, "graph cache header");
        sha.AppendData(head);
        if (!head.AsSpan(0, 8).SequenceEqual(Magic))
            throw DataFormatException.AtByte(path, 0, "bad magic, expected \"ASYMGRF1\"");
        var h = MemoryMarshal.Cast<byte, int>(head.AsSpan(8)).ToArray();
        var (n, f, classes, edges) = (h[0], h[1], h[2], h[3]);
        for (var i = 0; i < HeaderInts - 1; i++)
            if (h[i] < 0) throw DataFormatException.AtByte(path, 8 + 4 * i, $"negative size {h[i]}");
        if (n == 0 || f == 0 || classes == 0 || h[7] != 0)
            throw DataFormatException.AtByte(path, 8, $"header {string.Join(",", h)}, expected positive nodes, features and classes and a zero reserved field");
        var expected = HeaderBytes + 4L * ((long)n * f + n + (n + 1L) + edges + h[4] + h[5] + h[6]) + 32;
        if (input.SourceLength != expected)
            throw DataFormatException.Whole(path, $"length {input.SourceLength} bytes, but its header describes {expected}");

        var features = Tensor.Persistent(n, f);
        ReadInto(input, sha, MemoryMarshal.AsBytes(features.Span), "features");
        var labels = ReadInts(input, sha, n, "labels");
        var rowPtr = ReadInts(input, sha, n + 1, "row pointers");
        var cols = ReadInts(input, sha, edges, "column indices");
        var train = ReadInts(input, sha, h[4], "train indices");
        var valid = ReadInts(input, sha, h[5], "valid indices");
        var test = ReadInts(input, sha, h[6], "test indices");
        var stored = new byte[32];
        var at = input.Position;
        input.ReadExactly(stored, "SHA-256 checksum");
        if (!stored.AsSpan().SequenceEqual(sha.GetHashAndReset()))
            throw DataFormatException.AtByte(path, at, "checksum mismatch: the cache is corrupt");
        try
        {
            return new GraphDataset(name, features, labels, classes, new CsrAdjacency(rowPtr, cols), train, valid, test);
        }
        catch (ArgumentException e)
        {
            throw DataFormatException.Whole(path, $"inconsistent graph: {e.Message}", e);
        }
    }

    private static int[] ReadInts(DataInput input, IncrementalHash sha, int count, string what)
    {
        var a = new int[count];
        ReadInto(input, sha, MemoryMarshal.AsBytes(a.AsSpan()), what);
        return a;
    }

    private static void ReadInto(DataInput input, IncrementalHash sha, Span<byte> bytes, string what)
    {
        input.ReadExactly(bytes, what);
        sha.AppendData(bytes);
    }
}
