namespace AsymNet.Data;

/// <summary>An n-dimensional unsigned-byte array as stored in an IDX file.</summary>
public sealed record IdxArray(int[] Dims, byte[] Data);

/// <summary>
/// Reader for IDX files (the MNIST family's format, raw or gzipped): two zero bytes, a type code (0x08 =
/// unsigned byte, the only type these datasets use), the number of dimensions, each dimension as a big-endian
/// int32, then the data row-major. The declared size must match the file exactly.
/// </summary>
public static class IdxReader
{
    private const int MaxDims = 8;

    public static IdxArray Read(string path)
    {
        using var input = DataInput.Open(path);
        return Read(input);
    }

    public static IdxArray Read(DataInput input)
    {
        Span<byte> head = stackalloc byte[4];
        input.ReadExactly(head, "IDX magic number");
        if (head[0] != 0 || head[1] != 0)
            throw DataFormatException.AtByte(input.Name, 0,
                $"not an IDX file: magic starts with 0x{head[0]:x2} 0x{head[1]:x2}, expected 0x00 0x00");
        if (head[2] != 0x08)
            throw DataFormatException.AtByte(input.Name, 2,
                $"IDX data type 0x{head[2]:x2} is not supported, expected 0x08 (unsigned byte)");
        int rank = head[3];
        if (rank is < 1 or > MaxDims)
            throw DataFormatException.AtByte(input.Name, 3, $"IDX dimension count {rank}, expected 1..{MaxDims}");

        var dims = new int[rank];
        var total = 1L;
        Span<byte> word = stackalloc byte[4];
        for (var i = 0; i < rank; i++)
        {
            var at = input.Position;
            input.ReadExactly(word, $"IDX dimension {i}");
            dims[i] = DataInput.ReadBigEndianInt32(word);
            if (dims[i] < 0)
                throw DataFormatException.AtByte(input.Name, at, $"IDX dimension {i} is {(uint)dims[i]}, expected < 2^31");
            total = dims[i] != 0 && total > long.MaxValue / dims[i] ? long.MaxValue : total * dims[i];
        }
        var data = input.ReadArray(total, $"IDX data ({string.Join(" x ", dims)})");
        input.ExpectEnd($"{total} data bytes the header declares");
        return new IdxArray(dims, data);
    }
}
