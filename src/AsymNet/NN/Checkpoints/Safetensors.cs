using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using AsymNet.Data;
using AsymNet.Tensors;

namespace AsymNet.NN.Checkpoints;

/// <summary>
/// Reader and writer of the safetensors format (huggingface/safetensors): an 8-byte little-endian header length
/// N, N bytes of UTF-8 JSON mapping each tensor name to {dtype, shape, data_offsets} plus an optional
/// <c>__metadata__</c> string map, then the tensors' bytes. Offsets are relative to the end of the header.
/// The writer follows the Rust reference byte for byte (compact JSON, metadata first, tensors sorted by dtype
/// then name, header padded with spaces to a multiple of 8) so files PyTorch's <c>safetensors</c> writes and
/// files written here are interchangeable. The reader validates everything and names the file in every error.
/// </summary>
public static class Safetensors
{
    /// <summary>Largest header accepted, as in the Rust reference: bigger means a corrupt or hostile file.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    public const string MetadataKey = "__metadata__";

    // ---------------------------------------------------------------- writing

    /// <summary>Writes a state dict (or any named float32 tensors) as F32 entries, atomically.</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        Save(path, tensors.Select(kv => SafetensorsTensor.FromTensor(kv.Key, kv.Value)), metadata);

    /// <summary>Writes the entries to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public static void Save(string path, IEnumerable<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var header = BuildHeader(list, metadata);
        AtomicFile.Write(path, s => WriteTo(s, header, list));
    }

    /// <summary>The complete file as bytes.</summary>
    public static byte[] Serialize(IEnumerable<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var header = BuildHeader(list, metadata);
        using var ms = new MemoryStream();
        WriteTo(ms, header, list);
        return ms.ToArray();
    }

    /// <summary>Writes the file to a stream.</summary>
    public static void Write(Stream stream, IEnumerable<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        WriteTo(stream, BuildHeader(list, metadata), list);
    }

    private static void WriteTo(Stream s, byte[] header, List<SafetensorsTensor> sorted)
    {
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
        s.Write(len);
        s.Write(header);
        foreach (var t in sorted) s.Write(t.Data.Span);
    }

    /// <summary>Sorts <paramref name="tensors"/> in place into file order and returns the padded header bytes.</summary>
    private static byte[] BuildHeader(List<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            if (t.Name == MetadataKey) throw new ArgumentException($"'{MetadataKey}' is reserved and cannot name a tensor.");
            if (!seen.Add(t.Name)) throw new ArgumentException($"Duplicate tensor name '{t.Name}'.");
        }
        // The Rust writer orders by dtype (wider first, which keeps every tensor aligned) and then by name.
        tensors.Sort((a, b) =>
        {
            var c = WriterRank(b.DType).CompareTo(WriterRank(a.DType));
            return c != 0 ? c : CompareUtf8(a.Name, b.Name);
        });

        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject(MetadataKey);
                foreach (var (k, v) in metadata.OrderBy(kv => kv.Key, Comparer<string>.Create(CompareUtf8)))
                    w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in tensors)
            {
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", t.DType.HeaderName());
                w.WriteStartArray("shape");
                foreach (var d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                offset += t.Data.Length;
                w.WriteNumberValue(offset);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        var json = ms.ToArray();
        var padded = (json.Length + 7) / 8 * 8;
        var header = new byte[padded];
        json.CopyTo(header, 0);
        header.AsSpan(json.Length).Fill((byte)' ');
        return header;
    }

    // Position in the Rust Dtype enum (BOOL, U8, I8, ..., I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64).
    private static int WriterRank(SafetensorsDType t) => t switch
    {
        SafetensorsDType.BOOL => 0,
        SafetensorsDType.U8 => 1,
        SafetensorsDType.I8 => 2,
        SafetensorsDType.I16 => 5,
        SafetensorsDType.F16 => 7,
        SafetensorsDType.BF16 => 8,
        SafetensorsDType.I32 => 9,
        SafetensorsDType.F32 => 11,
        SafetensorsDType.F64 => 12,
        SafetensorsDType.I64 => 13,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    // Rust compares strings by UTF-8 bytes; ordinal UTF-16 order differs for characters above U+FFFF.
    private static int CompareUtf8(string? a, string? b) =>
        Encoding.UTF8.GetBytes(a ?? "").AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b ?? ""));

    // ---------------------------------------------------------------- reading

    /// <summary>Reads and validates a file. Format errors are <see cref="DataFormatException"/>s naming the file.</summary>
    public static SafetensorsFile Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such safetensors file.", path);
        var bytes = File.ReadAllBytes(path);
        return Parse(bytes, path);
    }

    /// <summary>Parses and validates a whole file held in memory; <paramref name="source"/> names it in errors.</summary>
    public static SafetensorsFile Parse(ReadOnlyMemory<byte> file, string source)
    {
        var span = file.Span;
        if (span.Length < 8)
            throw DataFormatException.AtByte(source, 0, $"file is {span.Length} bytes, too short for the 8-byte header length");
        var n = BinaryPrimitives.ReadUInt64LittleEndian(span);
        if (n > MaxHeaderBytes)
            throw DataFormatException.AtByte(source, 0, $"header length {n} exceeds the limit of {MaxHeaderBytes} bytes (corrupt or not a safetensors file)");
        if ((ulong)span.Length - 8 < n)
            throw DataFormatException.AtByte(source, 0, $"header length {n} runs past the end of the {span.Length}-byte file");
        var headerBytes = file.Slice(8, (int)n);
        if (!Utf8.IsValid(headerBytes.Span))
            throw DataFormatException.AtByte(source, 8, "header is not valid UTF-8");
        if (n == 0 || headerBytes.Span[0] != (byte)'{')
            throw DataFormatException.AtByte(source, 8, "header does not start with '{' (not a safetensors file)");
        var data = file[(8 + (int)n)..];

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(headerBytes, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw DataFormatException.AtByte(source, 8 + (e.BytePositionInLine ?? 0), $"header is not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw Header(source, $"header is a JSON {doc.RootElement.ValueKind}, expected an object");
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<(string Name, SafetensorsDType DType, int[] Shape, long Begin, long End)>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (!names.Add(prop.Name))
                    throw Header(source, $"duplicate key '{prop.Name}'");
                if (prop.Name == MetadataKey)
                    ReadMetadata(source, prop.Value, metadata);
                else
                    entries.Add(ReadEntry(source, prop.Name, prop.Value));
            }
            return new SafetensorsFile(source, CheckLayout(source, entries, data, 8 + (long)n), metadata);
        }
    }

    private static void ReadMetadata(string source, JsonElement e, Dictionary<string, string> metadata)
    {
        if (e.ValueKind == JsonValueKind.Null) return;
        if (e.ValueKind != JsonValueKind.Object)
            throw Header(source, $"'{MetadataKey}' is a JSON {e.ValueKind}, expected an object of strings");
        foreach (var p in e.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
                throw Header(source, $"'{MetadataKey}' entry '{p.Name}' is a JSON {p.Value.ValueKind}, expected a string");
            if (!metadata.TryAdd(p.Name, p.Value.GetString()!))
                throw Header(source, $"duplicate key '{p.Name}' in '{MetadataKey}'");
        }
    }

    private static (string, SafetensorsDType, int[], long, long) ReadEntry(string source, string name, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw Header(source, $"tensor '{name}' is a JSON {e.ValueKind}, expected an object with dtype, shape and data_offsets");
        JsonElement? dtypeE = null, shapeE = null, offsetsE = null;
        foreach (var p in e.EnumerateObject())
        {
            switch (p.Name)
            {
                case "dtype" when dtypeE is null: dtypeE = p.Value; break;
                case "shape" when shapeE is null: shapeE = p.Value; break;
                case "data_offsets" when offsetsE is null: offsetsE = p.Value; break;
                case "dtype" or "shape" or "data_offsets": throw Header(source, $"tensor '{name}' has a duplicate '{p.Name}'");
                default: throw Header(source, $"tensor '{name}' has an unknown field '{p.Name}'");
            }
        }
        if (dtypeE is null || shapeE is null || offsetsE is null)
            throw Header(source, $"tensor '{name}' lacks {(dtypeE is null ? "dtype" : shapeE is null ? "shape" : "data_offsets")}");

        if (dtypeE.Value.ValueKind != JsonValueKind.String || !SafetensorsDTypes.TryParse(dtypeE.Value.GetString()!, out var dtype))
            throw Header(source, $"tensor '{name}' has unknown dtype {dtypeE.Value.GetRawText()} (supported: {string.Join(", ", Enum.GetNames<SafetensorsDType>())})");

        if (shapeE.Value.ValueKind != JsonValueKind.Array)
            throw Header(source, $"tensor '{name}': shape is a JSON {shapeE.Value.ValueKind}, expected an array");
        var shape = new int[shapeE.Value.GetArrayLength()];
        int i = 0;
        foreach (var d in shapeE.Value.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out var v) || v < 0)
                throw Header(source, $"tensor '{name}': shape entry {d.GetRawText()} is not a non-negative 32-bit integer");
            shape[i++] = v;
        }

        if (offsetsE.Value.ValueKind != JsonValueKind.Array || offsetsE.Value.GetArrayLength() != 2)
            throw Header(source, $"tensor '{name}': data_offsets must be an array [begin, end]");
        var off = new long[2];
        i = 0;
        foreach (var d in offsetsE.Value.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var v) || v < 0)
                throw Header(source, $"tensor '{name}': data offset {d.GetRawText()} is not a non-negative integer");
            off[i++] = v;
        }
        if (off[1] < off[0])
            throw Header(source, $"tensor '{name}': data_offsets [{off[0]}, {off[1]}] end before they begin");

        long bytes;
        try
        {
            bytes = checked(SafetensorsTensor.ElementCount(shape) * dtype.Size());
        }
        catch (OverflowException)
        {
            bytes = long.MaxValue;
        }
        if (bytes != off[1] - off[0])
            throw Header(source, $"tensor '{name}': {dtype} {ShapeUtil.Format(shape)} needs {(bytes == long.MaxValue ? "too many" : bytes.ToString())} bytes but data_offsets [{off[0]}, {off[1]}] span {off[1] - off[0]}");
        return (name, dtype, shape, off[0], off[1]);
    }

    /// <summary>Checks that the tensors tile the data buffer exactly: no overlap, no gap, nothing past its end.</summary>
    private static List<SafetensorsTensor> CheckLayout(
        string source, List<(string Name, SafetensorsDType DType, int[] Shape, long Begin, long End)> entries,
        ReadOnlyMemory<byte> data, long dataStart)
    {
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        var result = new List<SafetensorsTensor>(entries.Count);
        long expected = 0;
        string? previous = null;
        foreach (var (name, dtype, shape, begin, end) in entries)
        {
            if (begin < expected)
                throw DataFormatException.AtByte(source, dataStart + begin, $"tensor '{name}' (bytes {begin}..{end} of the data) overlaps '{previous}', which ends at {expected}");
            if (begin > expected)
                throw DataFormatException.AtByte(source, dataStart + expected, $"data bytes {expected}..{begin} before tensor '{name}' belong to no tensor");
            if (end > data.Length)
                throw DataFormatException.AtByte(source, dataStart + begin, $"tensor '{name}' ends at data byte {end}, past the end of the {data.Length}-byte data section (file truncated?)");
            result.Add(new SafetensorsTensor(name, dtype, shape, data[(int)begin..(int)end]));
            expected = end;
            previous = name;
        }
        if (expected != data.Length)
            throw DataFormatException.AtByte(source, dataStart + expected, $"{data.Length - expected} trailing data bytes after the last tensor belong to no tensor");
        return result;
    }

    private static DataFormatException Header(string source, string problem) => new(source, "header", problem);
}
