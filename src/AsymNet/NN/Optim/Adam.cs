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
        if (Decoupled)
        {
            DecoupledDecay(p, value, lr, WeightDecay);
            g = grad;
        }
        else g = GradWithL2(p, value, grad, WeightDecay);

        // Scalars in double as Python computes them, applied in float32 as PyTorch's kernels do.
        var stepSize = lr / (1 - Math.Pow(Beta1, t));
        var bc2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, t));
        Kernel(value, g, m, v, (float)Beta1, (float)(1 - Beta1), (float)Beta2, (float)(1 - Beta2), (float)bc2Sqrt, (float)Eps, (float)-stepSize);
    }

    /// <summary>
    /// The moment and parameter update in one pass over memory (instead of eleven elementwise passes), with PyTorch's
    /// per-element operation order: m ← fma(g, 1−β₁, m·β₁); v ← fma(g·(1−β₂), g, v·β₂);
    /// p ← p + (m·(−step)) / (√v / √bc₂ + ε). Vector and scalar paths round identically.
    /// </summary>
    private static void Kernel(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
                               float b1, float oneMinusB1, float b2, float oneMinusB2, float bc2Sqrt, float eps, float negStep)
    {
        var n = p.Length;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
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
                var pi = new Vector<float>(p[i..]) + mi * vstep / denom;
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
            p[i] += mi * negStep / (MathF.Sqrt(vi) / bc2Sqrt + eps);
        }
    }
}

/// <summary>AdamW: Adam with decoupled weight decay (PyTorch's default λ = 0.01).</summary>
public sealed class AdamW(IEnumerable<OptimParameter> parameters, double learningRate = 1e-3, double beta1 = 0.9,
                          double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
    : Adam(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupled: true);
