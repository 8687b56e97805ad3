using AsymNet.Tensors;

namespace AsymNet.Bayes;

/// <summary>
/// The standard-normal draws of every variational layer of one network, in forward order from one generator, so a
/// network's samples are a pure function of its noise seed. <see cref="Reseed"/> replays a sequence (tests hold the
/// noise fixed this way); <see cref="Replay"/> hands out given draws instead (cross-checks against another implementation).
/// </summary>
public sealed class NoiseSource(ulong seed)
{
    private Rng _rng = new(seed);
    private Queue<float[]>? _replay;

    public void Reseed(ulong seed) => _rng = new Rng(seed);

    /// <summary>A source whose successive draws are <paramref name="draws"/>, in order (each must have the size asked for).</summary>
    public static NoiseSource Replay(params float[][] draws) => new(0) { _replay = new Queue<float[]>(draws) };

    /// <summary>A scope-owned tensor of N(0, 1) draws.</summary>
    public Tensor Normal(params int[] shape)
    {
        var t = Tensor.Empty(shape);
        if (_replay is null) _rng.FillNormal(t.Span);
        else if (_replay.TryDequeue(out var d) && d.Length == t.Length) d.CopyTo(t.Span);
        else throw new InvalidOperationException($"The replayed noise has no draw of {t.Length} values left.");
        return t;
    }
}
