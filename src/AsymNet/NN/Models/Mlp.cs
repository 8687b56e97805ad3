using AsymNet.NN.Layers;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Models;

/// <summary>
/// The authors' MLP / WMLP / SigmaMLP (lmc/models/models_mlp.py; bnn sparse_fully_connected): flatten, then
/// (Depth−1) × [Linear → norm → activation], then Linear. State-dict keys: "lins.i.*", "activations.i.C" (FiGLU
/// sites only), "norms.i.*", in that order as in the authors' modules.
/// </summary>
public sealed class Mlp : Model
{
    private readonly ModuleList<Linear> _lins = new();
    private readonly ModuleList<Module> _activations = new();
    private readonly ModuleList<Module>? _norms;

    internal Mlp(ModelConfig config, LayerBuilder build) : base(config)
    {
        if (config.Depth < 1) throw new ArgumentException($"An MLP needs Depth ≥ 1 linear layers, got {config.Depth}.");
        var inFeatures = config.InputShape.Aggregate(1, (a, b) => a * b);
        var width = config.Width;
        for (var i = 0; i < config.Depth; i++)
        {
            var isLast = i == config.Depth - 1;
            _lins.Add(build.Linear($"lins.{i}", i == 0 ? inFeatures : width, isLast ? config.Classes : width));
            if (!isLast) _activations.Add(build.Activation($"activations.{i}", width, FiGluLayout.Dense, "C"));
        }
        RegisterModule("lins", _lins);
        RegisterModule("activations", _activations);
        if (config.Norm != NormKind.None && config.Depth > 1)
        {
            _norms = new ModuleList<Module>();
            for (var i = 0; i < config.Depth - 1; i++)
                _norms.Add(config.Norm switch
                {
                    NormKind.Layer => new LayerNorm(width),
                    NormKind.Batch => new BatchNorm1d(width),
                    _ => throw new ArgumentException($"An MLP supports layer, batch or no norm, not {config.Norm}."),
                });
            RegisterModule("norms", _norms);
        }
    }

    public IReadOnlyList<Linear> Lins => _lins.Items;
    public IReadOnlyList<Module> Activations => _activations.Items;
    public IReadOnlyList<Module>? Norms => _norms?.Items;

    public override Tensor Forward(Tensor x)
    {
        if (x.Rank != 2) x = Ops.Reshape(x, x.Shape[0], -1);
        for (var i = 0; i < _lins.Count - 1; i++)
        {
            x = _lins[i].Forward(x);
            if (_norms is not null) x = _norms[i].Forward(x);
            x = _activations[i].Forward(x);
        }
        return _lins[_lins.Count - 1].Forward(x);
    }
}
