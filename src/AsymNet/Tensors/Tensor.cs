namespace AsymNet.Tensors;

/// <summary>
/// A float32 tensor: a shape over a contiguous, row-major window (offset, length) of a storage array.
/// Storage comes from <see cref="TensorPool"/> and returns there when the owning <see cref="TensorScope"/> ends.
/// Views (reshape, first-axis slices) share storage and never return it.
/// </summary>
public sealed partial class Tensor
{
    private float[] _storage;
    private readonly Tensor? _base;

    internal Tensor(float[] storage, int offset, int[] shape, Tensor? viewOf = null)
    {
        _storage = storage;
        Offset = offset;
        Shape = shape;
        Length = ShapeUtil.Numel(shape);
        _base = viewOf;
        if (offset < 0 || offset + Length > storage.Length)
            throw new ArgumentException($"Window [{offset}, {offset + Length}) exceeds storage of {storage.Length}.");
    }

    /// <summary>Dimensions, outermost first. Treat as read-only.</summary>
    public int[] Shape { get; }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>Start of this tensor's window in <see cref="Storage"/>.</summary>
    public int Offset { get; }

    public int Rank => Shape.Length;

    /// <summary>The backing array; elements live at [Offset, Offset + Length).</summary>
    public float[] Storage => _storage;

    /// <summary>The elements, row-major.</summary>
    public Span<float> Span => _storage.AsSpan(Offset, Length);

    /// <summary>True when this tensor is a view sharing another tensor's storage.</summary>
    public bool IsView => _base is not null;

    /// <summary>The tensor that owns this one's storage (itself unless it is a view, possibly of a view).</summary>
    internal Tensor StorageOwner => _base?.StorageOwner ?? this;

    /// <summary>Size of dimension <paramref name="dim"/>; negative counts from the end.</summary>
    public int Size(int dim) => Shape[ShapeUtil.NormalizeDim(dim, Rank)];

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Length != 1) throw new InvalidOperationException($"Item() needs one element, tensor has shape {ShapeUtil.Format(Shape)}.");
        return _storage[Offset];
    }

    /// <summary>A copy of the elements as a new array.</summary>
    public float[] ToArray() => Span.ToArray();

    public override string ToString() => $"Tensor{ShapeUtil.Format(Shape)}";

    private int _version;

    /// <summary>
    /// Counts the times a backward took this storage over to write into (<see cref="Autograd.CheckVersions"/> only);
    /// a view shares its base's count, as it shares its storage.
    /// </summary>
    internal int Version
    {
        get => StorageOwner._version;
        set => StorageOwner._version = value;
    }

    /// <summary>Hands the storage back to the pool. Only scopes call this, for tensors they own.</summary>
    internal void ReleaseStorage()
    {
        if (_base is not null || _storage.Length == 0) return;
        TensorPool.Return(_storage);
        _storage = [];
        Grad = null;
        Node = null;
    }
}
