using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using AsymNet.Data;
using AsymNet.NN.Checkpoints;
using AsymNet.Tensors;
using AsymNet.Tests.Data;

namespace AsymNet.Tests.NN;

public sealed class SafetensorsTests
{
    private static readonly string RefDir = Path.Combine(AppContext.BaseDirectory, "Reference", "safetensors");

    private static SafetensorsTensor F32(string name, int[] shape, params float[] v) => SafetensorsTensor.FromFloats(name, shape, v);

    /// <summary>Builds a file from a hand-written header and data section (for corrupt-file tests).</summary>
    private static byte[] Raw(string header, byte[] data, bool pad = true)
    {
        var h = Encoding.UTF8.GetBytes(header);
        if (pad) h = [.. h, .. Enumerable.Repeat((byte)' ', (8 - h.Length % 8) % 8)];
        var len = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)h.Length);
        return [.. len, .. h, .. data];
    }

    private static DataFormatException Rejects(byte[] file, string expectedFragment)
    {
        var e = Assert.Throws<DataFormatException>(() => Safetensors.Parse(file, "bad.safetensors"));
        Assert.Contains("bad.safetensors", e.Message);
        Assert.Contains(expectedFragment, e.Message);
        return e;
    }

    [Fact]
    public void ReadsTheReferenceFileBuiltFromTheSpec()
    {
        var file = Safetensors.Load(Path.Combine(RefDir, "reference.safetensors"));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RefDir, "reference.json")));
        var root = doc.RootElement;
        foreach (var m in root.GetProperty("metadata").EnumerateObject())
            Assert.Equal(m.Value.GetString(), file.Metadata[m.Name]);
        Assert.Equal(root.GetProperty("order").EnumerateArray().Select(e => e.GetString()!), file.Names);
        foreach (var t in root.GetProperty("tensors").EnumerateArray())
        {
            var entry = file[t.GetProperty("name").GetString()!];
            Assert.Equal(t.GetProperty("dtype").GetString(), entry.DType.ToString());
            Assert.Equal(t.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), entry.Shape);
            var expected = t.GetProperty("values").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            if (entry.DType == SafetensorsDType.I64)
            {
                var longs = Enumerable.Range(0, expected.Length).Select(i => (double)BinaryPrimitives.ReadInt64LittleEndian(entry.Data.Span[(8 * i)..]));
                Assert.Equal(expected, longs);
                continue;
            }
            Assert.Equal(expected, entry.ToDoubleArray());
            if (entry.DType != SafetensorsDType.F64)
                Assert.Equal(expected.Select(v => (float)v), entry.ToFloatArray());
        }
    }

    [Fact]
    public void WriterReproducesTheReferenceBytesExactly()
    {
        var bytes = File.ReadAllBytes(Path.Combine(RefDir, "reference.safetensors"));
        var file = Safetensors.Parse(bytes, "reference");
        // Re-serialize from a shuffled order: the writer must restore the Rust writer's order and padding.
        var shuffled = file.Tensors.Reverse().Select(t => new SafetensorsTensor(t.Name, t.DType, t.Shape, t.Data.ToArray()));
        Assert.Equal(bytes, Safetensors.Serialize(shuffled, file.Metadata));
    }

    [Fact]
    public void RoundTripsThroughADiskFileAtomically()
    {
        using var dir = new TempDir();
        var path = dir["sub/model.safetensors"];
        var w = Tensor.FromArray([1f, -2f, 3.5f, float.MaxValue, float.Epsilon, -0f], 2, 3);
        var sd = new List<KeyValuePair<string, Tensor>> { new("w", w), new("b", Tensor.FromArray([7f], 1)) };
        Safetensors.Save(path, sd, new Dictionary<string, string> { ["k"] = "v" });
        Assert.Equal(["model.safetensors"], Directory.GetFiles(dir["sub"]).Select(Path.GetFileName));
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0, (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes) % 8);
        var back = Safetensors.Load(path);
        Assert.Equal(w.ToArray(), back["w"].ToFloatArray());
        Assert.Equal(new[] { 2, 3 }, back["w"].ToTensor().Shape);
        Assert.Equal("v", back.Metadata["k"]);
        // Overwriting replaces the file in one step and leaves no temporaries.
        Safetensors.Save(path, [F32("x", [1], 1f)]);
        Assert.Equal(["x"], Safetensors.Load(path).Names);
        Assert.Single(Directory.GetFiles(dir["sub"]));
    }

    [Fact]
    public void F64RoundTripIsExact()
    {
        double[] v = [Math.PI, 1e-310, -1.0 / 3];
        var back = Safetensors.Parse(Safetensors.Serialize([SafetensorsTensor.FromDoubles("d", [3], v)]), "mem");
        Assert.Equal(v, back["d"].ToDoubleArray());
    }

    [Fact]
    public void WriterRejectsDuplicateAndReservedNames()
    {
        Assert.Throws<ArgumentException>(() => Safetensors.Serialize([F32("a", [1], 1f), F32("a", [1], 2f)]));
        Assert.Throws<ArgumentException>(() => Safetensors.Serialize([F32("__metadata__", [1], 1f)]));
        Assert.Throws<ArgumentException>(() => F32("a", [2], 1f));
    }

    [Fact]
    public void AcceptsAnUnpaddedHeaderAndNullMetadata()
    {
        var f = Safetensors.Parse(Raw("""{"__metadata__":null,"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", new byte[4], pad: false), "x");
        Assert.Empty(f.Metadata);
        Assert.Equal([0f], f["a"].ToFloatArray());
    }

    [Fact]
    public void EmptyFileWithNoTensorsIsValid()
    {
        var f = Safetensors.Parse(Safetensors.Serialize([]), "x");
        Assert.Empty(f.Tensors);
    }

    [Theory]
    [InlineData(3, "too short")]
    [InlineData(8, "runs past the end")]
    public void RejectsTruncatedLengthPrefix(int keep, string fragment)
    {
        var good = Safetensors.Serialize([F32("a", [1], 1f)]);
        Rejects(good[..keep], fragment);
    }

    [Fact]
    public void RejectsHugeHeaderLength()
    {
        var b = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(b, ulong.MaxValue);
        Rejects(b, "exceeds the limit");
    }

    [Fact]
    public void RejectsInvalidUtf8()
    {
        var f = Raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]);
        f[10] = 0xC3; // a lead byte followed by ASCII
        Rejects(f, "not valid UTF-8");
    }

    [Theory]
    [InlineData("[1,2]", "not start with '{'")]
    [InlineData("{\"a\":", "not valid JSON")]
    [InlineData("""{"a":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}""", "unknown dtype \"F33\"")]
    [InlineData("""{"a":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}}""", "unknown dtype")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}""", "needs 8 bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", "non-negative")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", "end before they begin")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}""", "[begin, end]")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1]}}""", "lacks data_offsets")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}""", "unknown field 'x'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "duplicate key 'a'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}""", "overlaps 'a'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", "belong to no tensor")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", "past the end")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2147483647,2147483647,2147483647],"data_offsets":[0,4]}}""", "too many")]
    [InlineData("""{"__metadata__":{"k":1},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "expected a string")]
    [InlineData("""{"__metadata__":[],"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "expected an object of strings")]
    [InlineData("""{"a":7}""", "expected an object with dtype")]
    public void RejectsCorruptHeaders(string header, string fragment) => Rejects(Raw(header, new byte[4]), fragment);

    [Fact]
    public void RejectsTrailingBytes()
    {
        var good = Safetensors.Serialize([F32("a", [1], 1f)]);
        Rejects([.. good, 0], "trailing data bytes");
    }

    [Fact]
    public void LoadNamesAMissingFile()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Safetensors.Load("/nonexistent/x.safetensors"));
        Assert.Contains("/nonexistent/x.safetensors", e.Message);
    }

    [Fact]
    public void FuzzedFilesParseOrFailCleanly()
    {
        var valid = File.ReadAllBytes(Path.Combine(RefDir, "reference.safetensors"));
        var rejected = FuzzTests.Fuzz(valid, 17, 3000, b =>
        {
            var f = Safetensors.Parse(b, "fuzz");
            foreach (var t in f.Tensors)
                if (t.DType != SafetensorsDType.I64) t.ToDoubleArray();
        });
        Assert.True(rejected > 2000, $"only {rejected} of 3000 mutations were rejected");
    }
}
