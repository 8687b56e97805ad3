using AsymNet.NN.Layers;
using AsymNet.Tensors;

namespace AsymNet.NN.Optim;

/// <summary>
/// One tensor an optimizer updates. <see cref="TrainableMask"/> (1 = trainable, 0 = fixed) marks entries the
/// optimizer must never change: the fixed entries of W-Asymmetric weights. Their gradients are already zeroed by
/// the layer's gradient hook; the optimizer additionally keeps weight decay off them, so they keep holding κF.
/// </summary>
public sealed class OptimParameter(string name, Tensor value, Tensor? trainableMask = null)
{
    public string Name { get; } = name;
    public Tensor Value { get; } = value;
    public Tensor? TrainableMask { get; } = trainableMask is null || ShapeUtil.SameShape(trainableMask.Shape, value.Shape)
        ? trainableMask
        : throw new ArgumentException($"Mask of '{name}' has shape {ShapeUtil.Format(trainableMask.Shape)}, the parameter {ShapeUtil.Format(value.Shape)}.");

    /// <summary>Every trainable parameter of <paramref name="module"/>, with the masks of its W-Asymmetric layers.</summary>
    public static List<OptimParameter> From(Module module)
    {
        var masks = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (_, m) in module.NamedModules())
            if (m is WeightLayer { Fixed: { } f } layer) masks[layer.Weight] = f.Mask;
        return module.NamedParameters()
            .Where(p => p.Value.RequiresGrad)
            .Select(p => new OptimParameter(p.Name, p.Value, masks.GetValueOrDefault(p.Value)))
            .ToList();
    }

    /// <summary>Plain tensors without masks or names (for tests and hand-made models).</summary>
    public static List<OptimParameter> Of(params Tensor[] tensors) =>
        tensors.Select((t, i) => new OptimParameter(i.ToString(System.Globalization.CultureInfo.InvariantCulture), t)).ToList();
}
