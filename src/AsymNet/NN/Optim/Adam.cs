using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

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

        TensorPrimitives.Multiply(m, (float)Beta1, m);
        TensorPrimitives.FusedMultiplyAdd(g, (float)(1 - Beta1), m, m);
        var tmp = Scratch(1, value.Length);
        TensorPrimitives.Multiply(v, (float)Beta2, v);
        TensorPrimitives.Multiply(g, (float)(1 - Beta2), tmp);
        TensorPrimitives.FusedMultiplyAdd(tmp, g, v, v);

        // Scalars in double as Python computes them, applied in float32 as PyTorch's kernels do.
        var stepSize = lr / (1 - Math.Pow(Beta1, t));
        var bc2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, t));
        var denom = tmp;
        TensorPrimitives.Sqrt(v, denom);
        TensorPrimitives.Divide(denom, (float)bc2Sqrt, denom);
        TensorPrimitives.Add(denom, (float)Eps, denom);
        var update = Scratch(2, value.Length);
        TensorPrimitives.Multiply(m, (float)-stepSize, update);
        TensorPrimitives.Divide(update, denom, update);
        TensorPrimitives.Add(value, update, value);
    }
}

/// <summary>AdamW: Adam with decoupled weight decay (PyTorch's default λ = 0.01).</summary>
public sealed class AdamW(IEnumerable<OptimParameter> parameters, double learningRate = 1e-3, double beta1 = 0.9,
                          double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
    : Adam(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupled: true);
