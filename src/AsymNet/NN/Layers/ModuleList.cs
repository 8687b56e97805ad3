using AsymNet.Tensors;

namespace AsymNet.NN.Layers;

/// <summary>
/// An indexed container (PyTorch nn.ModuleList): children named "0", "1", ...; the owner decides how to call them.
/// Like PyTorch's, it has no forward of its own.
/// </summary>
public sealed class ModuleList<T> : Module where T : Module
{
    private readonly List<T> _items = [];

    public ModuleList<T> Add(T module)
    {
        RegisterModule(_items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        _items.Add(module);
        return this;
    }

    public int Count => _items.Count;
    public T this[int index] => _items[index];
    public IReadOnlyList<T> Items => _items;
}
