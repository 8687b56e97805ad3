using AsymNet.Tensors;

namespace AsymNet.Bayes;

/// <summary>
/// The standard-normal draws of every variational layer of one network, in forward order from one generator, so a
/// network's samples are a pure function of its noise seed. <see cref="Reseed"/> replays a sequence (tests hold the
/// noise fixed this way).
/// </summary>
public sealed class NoiseSource(ulong seed)
{
    private Rng _rng = new(seed);

    public void Reseed(ulong seed) => _rng = new Rng(seed);

    /// <summary>A scope-owned tensor of N(0, 1) draws.</summary>
    public Tensor Normal(params int[] shape)
    {
        var t = Tensor.Empty(shape);
        _rng.FillNormal(t.Span);
        return t;
    }
}
