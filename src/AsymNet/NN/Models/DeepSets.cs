using AsymNet.NN.Layers;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Models;

/// <summary>
/// The metanetworks' DeepSets (the authors' metanet/models.py): every input number is a set element, embedded by
/// Linear(1, Width) → LayerNorm → ReLU, mean-pooled over the set, then (Depth−1) × [Linear → LayerNorm → ReLU] and
/// Linear(Width, Classes). Invariant to any permutation of the input numbers. Keys "embed.*", "embed_norm.*",
/// "lins.i.*", "norms.i.*".
/// </summary>
public sealed class DeepSets : Model
{
    private readonly ModuleList<Linear> _lins = new();
    private readonly ModuleList<LayerNorm> _norms = new();

    internal DeepSets(ModelConfig config, LayerBuilder build) : base(config)
    {
        if (config.Depth < 1) throw new ArgumentException($"DeepSets needs Depth ≥ 1, got {config.Depth}.");
        var h = config.Width;
        Embed = RegisterModule("embed", build.Linear("embed", 1, h));
        EmbedNorm = RegisterModule("embed_norm", new LayerNorm(h));
        for (var i = 0; i < config.Depth; i++)
        {
            var isLast = i == config.Depth - 1;
            _lins.Add(build.Linear($"lins.{i}", h, isLast ? config.Classes : h));
            if (!isLast) _norms.Add(new LayerNorm(h));
        }
        RegisterModule("lins", _lins);
        RegisterModule("norms", _norms);
    }

    public Linear Embed { get; }
    public LayerNorm EmbedNorm { get; }

    public override Tensor Forward(Tensor x)
    {
        var (batch, n) = (x.Shape[0], x.Length / x.Shape[0]);
        var e = Ops.Relu(EmbedNorm.Forward(Embed.Forward(Ops.Reshape(x, batch, n, 1))));
        var h = Ops.Mean(e, 1);
        for (var i = 0; i < _norms.Count; i++) h = Ops.Relu(_norms[i].Forward(_lins[i].Forward(h)));
        return _lins[_lins.Count - 1].Forward(h);
    }
}
