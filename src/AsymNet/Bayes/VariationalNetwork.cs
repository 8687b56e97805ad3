using AsymNet.NN.Layers;
using AsymNet.NN.Models;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.Bayes;

/// <summary>
/// A Bayesian neural network by variational inference: an ordinary model whose every Linear and Conv2d (standard or
/// W-Asym) gets an ELRG posterior (<see cref="ElrgPosterior"/>) around its weights, which stay the posterior mean; norm
/// layers stay point estimates. Keys: "net.*" (the model, μ) and "posterior.i.*" (V and learned log s of layer i).
/// Every forward pass draws a fresh sample, in training and evaluation alike (as the paper does).
/// </summary>
public sealed class VariationalNetwork : Model
{
    private readonly NN.Layers.ModuleList<ElrgPosterior> _posteriors = new();

    public VariationalNetwork(Model net, ElrgOptions options, ulong noiseSeed, Rng vInit) : base(net.Config)
    {
        Net = RegisterModule("net", net);
        Options = options;
        Noise = new NoiseSource(noiseSeed);
        foreach (var (name, module) in net.NamedModules())
        {
            if (module is not WeightLayer layer) continue;
            ElrgPosterior posterior = layer switch
            {
                Linear l => new ElrgLinear(name, l, options, Noise),
                Conv2d c => new ElrgConv2d(name, c, options, Noise),
                _ => throw new ArgumentException($"Layer '{name}': no ELRG posterior for a {layer.GetType().Name}."),
            };
            posterior.InitializeV(vInit.Fork(name));
            _posteriors.Add(posterior);
            layer.Noise = posterior;
        }
        RegisterModule("posterior", _posteriors);
    }

    /// <summary>The network whose weights are the posterior mean (a checkpoint of it is the mean network).</summary>
    public Model Net { get; }
    public ElrgOptions Options { get; }
    public NoiseSource Noise { get; }
    public IReadOnlyList<ElrgPosterior> Posteriors => _posteriors.Items;

    public override Tensor Forward(Tensor x) => Net.Forward(x);

    /// <summary>Σ over layers of KL(q‖p), a differentiable scalar.</summary>
    public Tensor Kl()
    {
        Tensor? total = null;
        foreach (var p in _posteriors.Items) total = total is null ? p.Kl() : Ops.Add(total, p.Kl());
        return total ?? Tensor.Scalar(0f);
    }

    /// <summary>
    /// The posterior's own tensors by name for a checkpoint: "&lt;layer&gt;.v_weight", ".v_bias", ".s_weight",
    /// ".s_bias" (s on every entry; zero on fixed entries). μ is the mean network's state dict.
    /// </summary>
    public List<KeyValuePair<string, Tensor>> PosteriorTensors()
    {
        using var noGrad = GradMode.NoGrad();
        var list = new List<KeyValuePair<string, Tensor>>();
        foreach (var p in _posteriors.Items)
        {
            if (p.VWeight is { } vw) list.Add(new($"{p.Layer}.v_weight", Masked(vw, p.Mask)));
            if (p.VBias is { } vb) list.Add(new($"{p.Layer}.v_bias", vb));
            var (sw, sb) = p.DiagonalVariances();
            list.Add(new($"{p.Layer}.s_weight", sw.Clone()));
            if (sb is not null) list.Add(new($"{p.Layer}.s_bias", sb.Clone()));
        }
        return list;
    }

    private static Tensor Masked(Tensor v, Tensor? mask)
    {
        var copy = v.Clone();
        if (mask is null) return copy;
        var m = mask.Span;
        var c = copy.Span;
        for (var i = 0; i < c.Length; i++) c[i] *= m[i % m.Length];
        return copy;
    }
}
