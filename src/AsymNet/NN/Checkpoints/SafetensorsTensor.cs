using System.Buffers.Binary;
using System.Runtime.InteropServices;
using AsymNet.Tensors;

namespace AsymNet.NN.Checkpoints;

/// <summary>
/// One named tensor of a safetensors file: dtype, shape and its raw little-endian bytes.
/// Conversions to float32 / float64 arrays cover the floating dtypes (F16 and BF16 widen exactly).
/// </summary>
public sealed class SafetensorsTensor
{
    public SafetensorsTensor(string name, SafetensorsDType dtype, int[] shape, ReadOnlyMemory<byte> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var d in shape)
            if (d < 0) throw new ArgumentException($"'{name}': negative dimension in shape {ShapeUtil.Format(shape)}.");
        long expected = ElementCount(shape) * dtype.Size();
        if (expected != data.Length)
            throw new ArgumentException($"'{name}': {dtype} {ShapeUtil.Format(shape)} needs {expected} bytes, got {data.Length}.");
        Name = name;
        DType = dtype;
        Shape = (int[])shape.Clone();
        Data = data;
    }

    public string Name { get; }
    public SafetensorsDType DType { get; }

    /// <summary>Dimensions, outermost first. Treat as read-only.</summary>
    public int[] Shape { get; }

    /// <summary>The element bytes, little-endian, row-major.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    public long ElementCount() => ElementCount(Shape);

    internal static long ElementCount(int[] shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        return n;
    }

    /// <summary>A float32 entry holding a copy of <paramref name="t"/>'s values.</summary>
    public static SafetensorsTensor FromTensor(string name, Tensor t) => FromFloats(name, t.Shape, t.Span);

    public static SafetensorsTensor FromFloats(string name, int[] shape, ReadOnlySpan<float> values)
    {
        EnsureLittleEndian();
        return new(name, SafetensorsDType.F32, shape, MemoryMarshal.AsBytes(values).ToArray());
    }

    public static SafetensorsTensor FromDoubles(string name, int[] shape, ReadOnlySpan<double> values)
    {
        EnsureLittleEndian();
        return new(name, SafetensorsDType.F64, shape, MemoryMarshal.AsBytes(values).ToArray());
    }

    /// <summary>The values as float32 (F64 is rounded to nearest; F16/BF16 widen exactly; integers and BOOL convert
    /// by value, as PyTorch's copy_ does when an int64 num_batches_tracked meets a float buffer).</summary>
    public float[] ToFloatArray()
    {
        var src = Data.Span;
        var n = checked((int)ElementCount());
        var dst = new float[n];
        switch (DType)
        {
            case SafetensorsDType.F32:
                for (int i = 0; i < n; i++) dst[i] = BinaryPrimitives.ReadSingleLittleEndian(src[(4 * i)..]);
                break;
            case SafetensorsDType.F64:
                for (int i = 0; i < n; i++) dst[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(src[(8 * i)..]);
                break;
            case SafetensorsDType.F16:
                for (int i = 0; i < n; i++) dst[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(src[(2 * i)..]);
                break;
            case SafetensorsDType.BF16:
                // bfloat16 is the upper half of a float32, so widening is a shift.
                for (int i = 0; i < n; i++) dst[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]) << 16);
                break;
            case SafetensorsDType.I64:
                for (int i = 0; i < n; i++) dst[i] = BinaryPrimitives.ReadInt64LittleEndian(src[(8 * i)..]);
                break;
            case SafetensorsDType.I32:
                for (int i = 0; i < n; i++) dst[i] = BinaryPrimitives.ReadInt32LittleEndian(src[(4 * i)..]);
                break;
            case SafetensorsDType.I16:
                for (int i = 0; i < n; i++) dst[i] = BinaryPrimitives.ReadInt16LittleEndian(src[(2 * i)..]);
                break;
            case SafetensorsDType.I8:
                for (int i = 0; i < n; i++) dst[i] = (sbyte)src[i];
                break;
            default: // U8, BOOL
                for (int i = 0; i < n; i++) dst[i] = src[i];
                break;
        }
        return dst;
    }

    /// <summary>The values as float64 (F64 exactly; other dtypes through <see cref="ToFloatArray"/>).</summary>
    public double[] ToDoubleArray()
    {
        if (DType == SafetensorsDType.F64)
        {
            var src = Data.Span;
            var d = new double[checked((int)ElementCount())];
            for (int i = 0; i < d.Length; i++) d[i] = BinaryPrimitives.ReadDoubleLittleEndian(src[(8 * i)..]);
            return d;
        }
        return Array.ConvertAll(ToFloatArray(), v => (double)v);
    }

    /// <summary>A persistent float32 tensor with these values.</summary>
    public Tensor ToTensor() => Tensor.FromArray(ToFloatArray(), Shape);

    private static void EnsureLittleEndian()
    {
        // Raw span reinterpretation writes host byte order; the format is little-endian.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors writing needs a little-endian host.");
    }
}
