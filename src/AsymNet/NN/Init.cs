using AsymNet.Tensors;

namespace AsymNet.NN;

/// <summary>
/// Weight initialisations with PyTorch's formulas, drawing from an explicit <see cref="Rng"/>.
/// fan_in = shape[1]·(product of the kernel dimensions), as torch.nn.init computes it.
/// </summary>
public static class Init
{
    public static int FanIn(ReadOnlySpan<int> weightShape)
    {
        if (weightShape.Length < 2) throw new ArgumentException($"A weight needs at least 2 dimensions, got {ShapeUtil.Format(weightShape)}.");
        var fan = weightShape[1];
        for (var i = 2; i < weightShape.Length; i++) fan *= weightShape[i];
        return fan;
    }

    /// <summary>PyTorch's default for Linear/Conv weights, kaiming_uniform_(a=√5), which reduces to U(±1/√fan_in).</summary>
    public static void KaimingUniformDefault(Tensor weight, Rng rng) => UniformFanIn(weight, FanIn(weight.Shape), rng);

    /// <summary>kaiming_normal_ with fan_in mode and ReLU gain: N(0, 2/fan_in), as the paper's standard ResNets use.</summary>
    public static void KaimingNormal(Tensor weight, Rng rng) =>
        rng.FillNormal(weight.Span, 0f, MathF.Sqrt(2f / FanIn(weight.Shape)));

    /// <summary>U(±1/√fan_in): PyTorch's default bias initialisation (and the default weight one).</summary>
    public static void UniformFanIn(Tensor t, int fanIn, Rng rng)
    {
        var bound = fanIn > 0 ? 1f / MathF.Sqrt(fanIn) : 0f;
        rng.FillUniform(t.Span, -bound, bound);
    }

    public static void Initialize(Tensor weight, WeightInit scheme, Rng rng)
    {
        switch (scheme)
        {
            case WeightInit.KaimingUniform: KaimingUniformDefault(weight, rng); break;
            case WeightInit.KaimingNormal: KaimingNormal(weight, rng); break;
            default: throw new ArgumentOutOfRangeException(nameof(scheme), scheme, null);
        }
    }
}
