using AsymNet.Tensors;

namespace AsymNet.NN.Layers;

/// <summary>Applies its children in order; children are named "0", "1", ... as in PyTorch's nn.Sequential.
/// An empty Sequential is the identity (the ResNets' identity shortcut).</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _items = [];

    public Sequential(params Module[] modules)
    {
        foreach (var m in modules) Add(m);
    }

    public Sequential Add(Module module)
    {
        RegisterModule(_items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        _items.Add(module);
        return this;
    }

    public int Count => _items.Count;
    public Module this[int index] => _items[index];

    public override Tensor Forward(Tensor x)
    {
        foreach (var m in _items) x = m.Forward(x);
        return x;
    }
}
