namespace AsymNet.Tensors;

public sealed partial class Tensor
{
    /// <summary>An uninitialized tensor from the pool, owned by the current <see cref="TensorScope"/> if any.</summary>
    public static Tensor Empty(params int[] shape)
    {
        var t = new Tensor(TensorPool.Rent(ShapeUtil.Numel(shape)), 0, (int[])shape.Clone());
        TensorScope.Track(t);
        return t;
    }

    /// <summary>Like <see cref="Empty"/> but filled with zeros.</summary>
    public static Tensor Zeros(params int[] shape)
    {
        var t = Empty(shape);
        t.Span.Clear();
        return t;
    }

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = Empty(shape);
        t.Span.Fill(value);
        return t;
    }

    /// <summary>
    /// A tensor that lives until garbage collection, never returned to the pool by a scope:
    /// parameters, buffers, optimizer state, gradients of leaves.
    /// </summary>
    public static Tensor Persistent(params int[] shape) =>
        new(new float[ShapeUtil.Numel(shape)], 0, (int[])shape.Clone());

    /// <summary>Wraps <paramref name="data"/> (no copy); the tensor is persistent.</summary>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        if (ShapeUtil.Numel(shape) != data.Length)
            throw new ArgumentException($"Shape {ShapeUtil.Format(shape)} needs {ShapeUtil.Numel(shape)} elements, got {data.Length}.");
        return new Tensor(data, 0, (int[])shape.Clone());
    }

    /// <summary>A one-element tensor of shape [].</summary>
    public static Tensor Scalar(float value)
    {
        var t = Empty();
        t.Span[0] = value;
        return t;
    }

    /// <summary>A persistent deep copy of the values (no autograd history).</summary>
    public Tensor Clone()
    {
        var t = Persistent(Shape);
        Span.CopyTo(t.Span);
        return t;
    }

    /// <summary>A scope-owned copy of the values (no autograd history).</summary>
    public Tensor CopyScoped()
    {
        var t = Empty(Shape);
        Span.CopyTo(t.Span);
        return t;
    }
}
