using System.IO.Compression;

namespace AsymNet.Data;

/// <summary>
/// A sequential reader over a data file that may be gzip-compressed (detected by its magic bytes, not its name).
/// Tracks the decoded byte offset so every error can say where it happened, turns decompression failures and
/// early ends into <see cref="DataFormatException"/>, and knows an upper bound of the decoded length so readers
/// can reject lying headers before allocating.
/// </summary>
public sealed class DataInput : IDisposable
{
    /// <summary>Deflate never expands better than about 1032:1, so a gzip file cannot decode to more than this.</summary>
    private const long MaxDeflateRatio = 1032;

    /// <summary>Compressed payloads claiming more than this multiple of the file size are read in growing chunks,
    /// so a lying header can make the reader allocate at most about twice the data that really arrives.</summary>
    private const long TrustedRatio = 64;

    private readonly Stream _stream;

    private DataInput(string name, Stream stream, bool compressed, long sourceLength)
    {
        Name = name;
        _stream = stream;
        IsCompressed = compressed;
        SourceLength = sourceLength;
        MaxLength = compressed ? sourceLength * MaxDeflateRatio + 1024 : sourceLength;
    }

    /// <summary>File name used in error messages.</summary>
    public string Name { get; }

    public bool IsCompressed { get; }

    /// <summary>Length of the file as stored (compressed size for gzip).</summary>
    public long SourceLength { get; }

    /// <summary>Decoded bytes consumed so far.</summary>
    public long Position { get; private set; }

    /// <summary>The decoded length cannot exceed this (exact for uncompressed files).</summary>
    public long MaxLength { get; }

    /// <summary>Bytes that may still follow <see cref="Position"/> (an upper bound for gzip).</summary>
    public long MaxRemaining => MaxLength - Position;

    public static DataInput Open(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DataFormatException.Whole(path, $"cannot be opened ({e.Message})", e);
        }
        return FromStream(path, file);
    }

    /// <summary>Wraps an already open seekable stream (taking ownership), decompressing it if it is gzip.</summary>
    public static DataInput FromStream(string name, Stream seekable)
    {
        var length = seekable.Length;
        Span<byte> magic = stackalloc byte[2];
        var got = seekable.Read(magic);
        seekable.Position = 0;
        if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            return new DataInput(name, new GZipStream(seekable, CompressionMode.Decompress, leaveOpen: false), true, length);
        return new DataInput(name, seekable, false, length);
    }

    /// <summary>Fills <paramref name="buffer"/> or throws, naming <paramref name="what"/> was being read.</summary>
    public void ReadExactly(Span<byte> buffer, string what)
    {
        var start = Position;
        var done = Read(buffer);
        if (done < buffer.Length)
            throw DataFormatException.AtByte(Name, start + done,
                $"file ends early: expected {buffer.Length} bytes of {what} starting at byte {start}, got {done}");
    }

    /// <summary>
    /// Reads exactly <paramref name="count"/> bytes of <paramref name="what"/> into a new array, checking the count
    /// against what the file can hold before allocating.
    /// </summary>
    public byte[] ReadArray(long count, string what)
    {
        if (count < 0 || count > Array.MaxLength || count > MaxRemaining)
            throw DataFormatException.AtByte(Name, Position,
                $"{what} would need {count} bytes, but the file can hold at most {Math.Max(0, MaxRemaining)} more");
        if (!IsCompressed || count <= TrustedRatio * SourceLength)
        {
            var exact = GC.AllocateUninitializedArray<byte>((int)count);
            ReadExactly(exact, what);
            return exact;
        }
        var start = Position;
        var data = ReadGrowing(count);
        if (data.Length < count)
            throw DataFormatException.AtByte(Name, Position,
                $"file ends early: expected {count} bytes of {what} starting at byte {start}, got {data.Length}");
        return data;
    }

    /// <summary>Everything from <see cref="Position"/> to the end of the data.</summary>
    public byte[] ReadToEnd(string what)
    {
        if (!IsCompressed) return ReadArray(MaxRemaining, what);
        return ReadGrowing(Math.Min(MaxRemaining, Array.MaxLength));
    }

    /// <summary>Reads up to <paramref name="limit"/> bytes, doubling the buffer as data arrives.</summary>
    private byte[] ReadGrowing(long limit)
    {
        var buffer = GC.AllocateUninitializedArray<byte>((int)Math.Min(limit, 1 << 20));
        var filled = 0;
        while (true)
        {
            filled += Read(buffer.AsSpan(filled));
            if (filled < buffer.Length || filled == limit)
            {
                if (filled < buffer.Length) Array.Resize(ref buffer, filled);
                return buffer;
            }
            Array.Resize(ref buffer, (int)Math.Min(limit, 2L * buffer.Length));
        }
    }

    /// <summary>Reads up to buffer.Length bytes; fewer only at the end of the data.</summary>
    public int Read(Span<byte> buffer)
    {
        var done = 0;
        try
        {
            while (done < buffer.Length)
            {
                var n = _stream.Read(buffer[done..]);
                if (n == 0) break;
                done += n;
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw DataFormatException.AtByte(Name, Position + done, $"corrupt compressed data ({e.Message})", e);
        }
        Position += done;
        return done;
    }

    /// <summary>Throws when any byte follows the expected content.</summary>
    public void ExpectEnd(string after)
    {
        Span<byte> one = stackalloc byte[1];
        if (Read(one) != 0)
            throw DataFormatException.AtByte(Name, Position - 1, $"unexpected extra data after the {after}");
    }

    public static int ReadBigEndianInt32(ReadOnlySpan<byte> b) => (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];

    public void Dispose() => _stream.Dispose();
}
