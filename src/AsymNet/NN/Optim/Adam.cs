using System.Numerics;

namespace AsymNet.NN.Optim;

/// <summary>
/// Adam and AdamW with PyTorch 1.13's semantics (torch.optim.Adam / AdamW, single-tensor path), per parameter with
/// its own step count t: Adam adds λ·p to the gradient (coupled L2); AdamW first scales p by (1 − lr·λ)
/// (decoupled decay). Then m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², and
/// p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε): ε is added after the bias correction of √v.
/// </summary>
public class Adam : Optimizer
{
    private readonly float[]?[] _m, _v;
    private readonly long[] _steps;

    public Adam(IEnumerable<OptimParameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
                double eps = 1e-8, double weightDecay = 0)
        : this(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupled: false)
    {
    }

    protected Adam(IEnumerable<OptimParameter> parameters, double learningRate, double beta1, double beta2, double eps,
                   double weightDecay, bool decoupled)
        : base(parameters, learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), $"beta1 must be in [0, 1), got {beta1}.");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), $"beta2 must be in [0, 1), got {beta2}.");
        CheckNonNegative(eps, nameof(eps));
        CheckNonNegative(weightDecay, nameof(weightDecay));
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        Decoupled = decoupled;
        _m = new float[Parameters.Count][];
        _v = new float[Parameters.Count][];
        _steps = new long[Parameters.Count];
    }

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }
    public double WeightDecay { get; }

    /// <summary>True for AdamW (decoupled weight decay).</summary>
    public bool Decoupled { get; }

    protected override void Update(int index, OptimParameter p, Span<float> value, ReadOnlySpan<float> grad)
    {
        var m = _m[index] ??= StateFor(p);
        var v = _v[index] ??= StateFor(p);
        var t = ++_steps[index];
        var lr = LearningRate;
        ReadOnlySpan<float> g;
        var decay = new Decay(1f, default);
        if (Decoupled)
        {
            var factor = (float)(1 - lr * WeightDecay);
            // The decay joins the update's pass; a masked factor outside [0.5, 2] (lr·λ > 0.5) keeps its own pass.
            var fused = WeightDecay != 0 && (p.TrainableMask is null || factor is >= 0.5f and <= 2f);
            if (fused) decay = new Decay(factor, p.TrainableMask is { } mask ? mask.Span : default);
            else DecoupledDecay(p, value, lr, WeightDecay);
            g = grad;
        }
        else g = GradWithL2(p, value, grad, WeightDecay);

        // Scalars in double as Python computes them, applied in float32 as PyTorch's kernels do.
        var stepSize = lr / (1 - Math.Pow(Beta1, t));
        var bc2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, t));
        Kernel(value, g, m, v, decay, (float)Beta1, (float)(1 - Beta1), (float)Beta2, (float)(1 - Beta2), (float)bc2Sqrt, (float)Eps, (float)-stepSize);
    }

    /// <summary>
    /// Decoupled decay folded into the update: p ← p·f with f = factor, or with a mask f = m·(factor − 1) + 1 (two
    /// roundings, exactly factor on trainable and 1 on fixed entries, as <see cref="Optimizer.DecoupledDecay"/>).
    /// Factor 1 with no mask: no decay.
    /// </summary>
    private readonly ref struct Decay(float factor, ReadOnlySpan<float> mask)
    {
        public readonly float Factor = factor;
        public readonly ReadOnlySpan<float> Mask = mask;
        public bool Active => Factor != 1f;
    }

    /// <summary>
    /// The moment and parameter update in one pass over memory (instead of eleven elementwise passes), with PyTorch's
    /// per-element operation order: m ← fma(g, 1−β₁, m·β₁); v ← fma(g·(1−β₂), g, v·β₂);
    /// p ← p + (m·(−step)) / (√v / √bc₂ + ε), after AdamW's decay p ← p·f. Vector and scalar paths round identically.
    /// </summary>
    private static void Kernel(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, Decay decay,
                               float b1, float oneMinusB1, float b2, float oneMinusB2, float bc2Sqrt, float eps, float negStep)
    {
        var n = p.Length;
        var i = 0;
        var (decays, masked) = (decay.Active, !decay.Mask.IsEmpty);
        var (factor, factorMinus1) = (decay.Factor, decay.Factor - 1f);
        if (Vector.IsHardwareAccelerated)
        {
            var vfactor = new Vector<float>(factor);
            var vfm1 = new Vector<float>(factorMinus1);
            var vb1 = new Vector<float>(b1);
            var v1b1 = new Vector<float>(oneMinusB1);
            var vb2 = new Vector<float>(b2);
            var v1b2 = new Vector<float>(oneMinusB2);
            var vbc2 = new Vector<float>(bc2Sqrt);
            var veps = new Vector<float>(eps);
            var vstep = new Vector<float>(negStep);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var gi = new Vector<float>(g[i..]);
                var mi = Vector.FusedMultiplyAdd(gi, v1b1, new Vector<float>(m[i..]) * vb1);
                var vi = Vector.FusedMultiplyAdd(gi * v1b2, gi, new Vector<float>(v[i..]) * vb2);
                var denom = Vector.SquareRoot(vi) / vbc2 + veps;
                var pi = new Vector<float>(p[i..]);
                if (decays) pi *= masked ? new Vector<float>(decay.Mask[i..]) * vfm1 + Vector<float>.One : vfactor;
                pi += mi * vstep / denom;
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                pi.CopyTo(p[i..]);
            }
        }
        for (; i < n; i++)
        {
            var gi = g[i];
            var mi = m[i] = MathF.FusedMultiplyAdd(gi, oneMinusB1, m[i] * b1);
            var vi = v[i] = MathF.FusedMultiplyAdd(gi * oneMinusB2, gi, v[i] * b2);
            var pi = p[i];
            if (decays) pi *= masked ? decay.Mask[i] * factorMinus1 + 1f : factor;
            p[i] = pi + mi * negStep / (MathF.Sqrt(vi) / bc2Sqrt + eps);
        }
    }
}

/// <summary>AdamW: Adam with decoupled weight decay (PyTorch's default λ = 0.01).</summary>
public sealed class AdamW(IEnumerable<OptimParameter> parameters, double learningRate = 1e-3, double beta1 = 0.9,
                          double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
    : Adam(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupled: true);
