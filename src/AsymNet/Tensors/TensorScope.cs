namespace AsymNet.Tensors;

/// <summary>
/// Owns the tensors created while it is the innermost scope on this thread and returns their storage to
/// <see cref="TensorPool"/> when disposed. Wrap a training step in one: everything the step made is recycled.
/// Tensors created outside any scope are ordinary garbage-collected objects.
/// A scope object can be entered again after disposal, so a training loop can reuse one and allocate nothing.
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? _current;
    private TensorScope? _parent;
    private readonly List<Tensor> _owned = new(256);
    private bool _active;

    /// <summary>Creates and enters a new scope nested in the current one.</summary>
    public static TensorScope Begin() => new TensorScope().Enter();

    /// <summary>Makes this scope the innermost one on this thread.</summary>
    public TensorScope Enter()
    {
        if (_active) throw new InvalidOperationException("This scope is already active.");
        _active = true;
        _parent = _current;
        _current = this;
        return this;
    }

    internal static void Track(Tensor t) => _current?._owned.Add(t);

    /// <summary>
    /// Moves <paramref name="t"/> to the enclosing scope (or to the garbage collector) so it outlives this one. A view
    /// keeps the tensor that owns its storage, which would otherwise return to the pool under it.
    /// </summary>
    public Tensor Keep(Tensor t)
    {
        var owner = t.StorageOwner;
        var i = _owned.LastIndexOf(owner);
        if (i < 0) return t;
        _owned.RemoveAt(i);
        _parent?._owned.Add(owner);
        return t;
    }

    public void Dispose()
    {
        if (!_active) return;
        if (_current != this) throw new InvalidOperationException("TensorScopes must be disposed innermost first.");
        _active = false;
        foreach (var t in _owned) t.ReleaseStorage();
        _owned.Clear();
        _current = _parent;
        _parent = null;
    }
}
