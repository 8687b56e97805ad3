using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Layers;

/// <summary>Inverted dropout with its own generator; identity in eval mode or when p = 0.</summary>
public sealed class Dropout(float p, Rng rng) : Module
{
    public float P { get; } = p is >= 0f and < 1f ? p : throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout p must be in [0, 1).");

    public override Tensor Forward(Tensor x) => P == 0f ? x : Ops.Dropout(x, P, rng, Training);
}
