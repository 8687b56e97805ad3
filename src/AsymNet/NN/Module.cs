using AsymNet.Tensors;

namespace AsymNet.NN;

/// <summary>
/// Base of every layer and model (PyTorch's nn.Module): parameters, buffers and child modules are registered
/// explicitly by name in the constructor (no field reflection), which fixes the state-dict keys and their order:
/// a module's own parameters, then its own persistent buffers, then each child's entries under "child.".
/// </summary>
public abstract class Module
{
    private readonly List<KeyValuePair<string, Tensor>> _parameters = [];
    private readonly List<(string Name, Tensor Value, bool Persistent)> _buffers = [];
    private readonly List<KeyValuePair<string, Module>> _children = [];

    /// <summary>Training mode (dropout active, batch norm uses batch statistics). New modules start in training mode.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>
    /// The one-input forward pass. As in PyTorch, a module without one (a container such as ModuleList, a graph layer
    /// whose forward also takes the graph) does not override it, and calling it says so.
    /// </summary>
    public virtual Tensor Forward(Tensor x) =>
        throw new NotSupportedException($"{GetType().Name} has no one-input Forward: call the forward it defines (a container's items, a graph model's Forward(features, adjacency)).");

    /// <summary>Registers a trainable parameter; marks it as requiring grad.</summary>
    protected Tensor RegisterParameter(string name, Tensor value)
    {
        CheckName(name);
        value.RequiresGrad = true;
        _parameters.Add(new(name, value));
        return value;
    }

    /// <summary>Registers a buffer: state that is not trained (running statistics, masks, fixed F).</summary>
    protected Tensor RegisterBuffer(string name, Tensor value, bool persistent = true)
    {
        CheckName(name);
        _buffers.Add((name, value, persistent));
        return value;
    }

    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        _children.Add(new(name, module));
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"Invalid member name '{name}': must be non-empty and contain no '.'.");
        if (_parameters.Any(p => p.Key == name) || _buffers.Any(b => b.Name == name) || _children.Any(c => c.Key == name))
            throw new ArgumentException($"'{name}' is already registered on {GetType().Name}.");
    }

    /// <summary>Direct children in registration order.</summary>
    public IReadOnlyList<KeyValuePair<string, Module>> Children => _children;

    /// <summary>This module ("" prefix) and all descendants, pre-order, with dotted names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        yield return (prefix, this);
        foreach (var (name, child) in _children)
            foreach (var m in child.NamedModules(Join(prefix, name))) yield return m;
    }

    /// <summary>All parameters with dotted names, in state-dict order.</summary>
    public IEnumerable<(string Name, Tensor Value)> NamedParameters(string prefix = "")
    {
        foreach (var (name, p) in _parameters) yield return (Join(prefix, name), p);
        foreach (var (name, child) in _children)
            foreach (var p in child.NamedParameters(Join(prefix, name))) yield return p;
    }

    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Value);

    /// <summary>All buffers with dotted names; <paramref name="persistentOnly"/> keeps those saved in the state dict.</summary>
    public IEnumerable<(string Name, Tensor Value)> NamedBuffers(string prefix = "", bool persistentOnly = false)
    {
        foreach (var (name, b, persistent) in _buffers)
            if (persistent || !persistentOnly) yield return (Join(prefix, name), b);
        foreach (var (name, child) in _children)
            foreach (var b in child.NamedBuffers(Join(prefix, name), persistentOnly)) yield return b;
    }

    /// <summary>Parameters and persistent buffers by dotted key, in PyTorch's state_dict order. Tensors are shared, not copied.</summary>
    public List<KeyValuePair<string, Tensor>> StateDict(string prefix = "")
    {
        var sd = new List<KeyValuePair<string, Tensor>>();
        AddStateTo(sd, prefix);
        return sd;
    }

    private void AddStateTo(List<KeyValuePair<string, Tensor>> sd, string prefix)
    {
        foreach (var (name, p) in _parameters) sd.Add(new(Join(prefix, name), p));
        foreach (var (name, b, persistent) in _buffers) if (persistent) sd.Add(new(Join(prefix, name), b));
        foreach (var (name, child) in _children) child.AddStateTo(sd, Join(prefix, name));
    }

    /// <summary>
    /// Copies values into this module's parameters and persistent buffers. Strict: every key must match in name and
    /// shape, and none may be missing or unexpected; the error lists them all.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = StateDict();
        var problems = new List<string>();
        foreach (var (key, target) in own)
        {
            if (!state.TryGetValue(key, out var source))
            {
                if (strict) problems.Add($"missing key '{key}'");
                continue;
            }
            if (!ShapeUtil.SameShape(source.Shape, target.Shape))
                problems.Add($"'{key}': shape {ShapeUtil.Format(source.Shape)} in the state dict, {ShapeUtil.Format(target.Shape)} in the model");
        }
        if (strict)
        {
            var known = own.Select(kv => kv.Key).ToHashSet();
            problems.AddRange(state.Keys.Where(k => !known.Contains(k)).Select(k => $"unexpected key '{k}'"));
        }
        if (problems.Count > 0)
            throw new InvalidDataException($"State dict does not fit {GetType().Name}: " + string.Join("; ", problems) + ".");
        foreach (var (key, target) in own)
            if (state.TryGetValue(key, out var source)) source.Span.CopyTo(target.Span);
        OnStateLoaded();
    }

    /// <summary>Hook for modules that derive state from loaded tensors (e.g. re-applying fixed weights).</summary>
    protected virtual void OnStateLoaded()
    {
        foreach (var (_, child) in _children) child.OnStateLoaded();
    }

    public void Train(bool on = true)
    {
        foreach (var (_, m) in NamedModules()) m.Training = on;
    }

    public void Eval() => Train(false);

    /// <summary>Clears the gradient of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>
    /// Parameter entries that never change (the fixed entries of W-Asymmetric layers). Layers with fixed entries
    /// override <see cref="OwnFixedParameterCount"/>.
    /// </summary>
    public long FixedParameterCount() => NamedModules().Sum(m => m.Module.OwnFixedParameterCount);

    protected virtual long OwnFixedParameterCount => 0;

    public long TotalParameterCount() => Parameters().Sum(p => (long)p.Length);

    public long TrainableParameterCount() => TotalParameterCount() - FixedParameterCount();

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;
}
