using AsymNet.NN.Layers;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Models;

/// <summary>
/// The metanetworks' MLP (the authors' metanet/models.py MLP and StatNN): (Depth−1) × [Linear → ReLU → LayerNorm],
/// then Linear(Width, Classes). ReLU comes before the norm, as in the authors' code. The metanet MLP is Depth 2 over a
/// network's flattened weights; StatNN is Depth 3 over 7 statistics per weight tensor. Keys "lins.i.*", "norms.i.*".
/// </summary>
public sealed class MetanetMlp : Model
{
    private readonly ModuleList<Linear> _lins = new();
    private readonly ModuleList<LayerNorm> _norms = new();

    internal MetanetMlp(ModelConfig config, LayerBuilder build) : base(config)
    {
        if (config.Depth < 1) throw new ArgumentException($"A metanet MLP needs Depth ≥ 1 linear layers, got {config.Depth}.");
        var inFeatures = config.InputShape.Aggregate(1, (a, b) => a * b);
        for (var i = 0; i < config.Depth; i++)
        {
            var isLast = i == config.Depth - 1;
            _lins.Add(build.Linear($"lins.{i}", i == 0 ? inFeatures : config.Width, isLast ? config.Classes : config.Width));
            if (!isLast) _norms.Add(new LayerNorm(config.Width));
        }
        RegisterModule("lins", _lins);
        RegisterModule("norms", _norms);
    }

    public override Tensor Forward(Tensor x)
    {
        if (x.Rank != 2) x = Ops.Reshape(x, x.Shape[0], -1);
        for (var i = 0; i < _norms.Count; i++) x = _norms[i].Forward(Ops.Relu(_lins[i].Forward(x)));
        return _lins[_lins.Count - 1].Forward(x);
    }
}
