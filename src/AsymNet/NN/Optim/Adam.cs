using AsymNet.Tensors;
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

    internal override IReadOnlyList<(string Slot, float[]?[] Buffers)> StateSlots => [("exp_avg", _m), ("exp_avg_sq", _v)];

    internal override long[] ParameterSteps => _steps;

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
        var scalars = new Scalars((float)Beta1, (float)(1 - Beta1), (float)Beta2, (float)(1 - Beta2), (float)bc2Sqrt, (float)Eps, (float)-stepSize);
        if (value.Length >= 2 * KernelJob.ChunkLength && ParallelChunks.TwoCores) KernelJob.Run(value, g, m, v, decay, scalars);
        else Kernel(value, g, m, v, decay, scalars);
    }

    /// <summary>The per-step constants of the update, rounded to float32 as PyTorch's kernels use them.</summary>
    private readonly record struct Scalars(float B1, float OneMinusB1, float B2, float OneMinusB2, float Bc2Sqrt, float Eps, float NegStep);

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
    private static void Kernel(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, Decay decay, Scalars s)
    {
        var (b1, oneMinusB1, b2, oneMinusB2, bc2Sqrt, eps, negStep) = (s.B1, s.OneMinusB1, s.B2, s.OneMinusB2, s.Bc2Sqrt, s.Eps, s.NegStep);
        var n = p.Length;
        var i = 0;
        var (decays, masked) = (decay.Active, !decay.Mask.IsEmpty);
        var (factor, factorMinus1) = (decay.Factor, decay.Factor - 1f);
        if (Vector.IsHardwareAccelerated && KernelPaths.Use256)
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
    /// <summary>
    /// The update of a large parameter (the MLP's 512×512 weights) in fixed chunks shared with the op worker: every
    /// element's update is independent and vector and scalar paths round alike, so the result is the same either way.
    /// </summary>
    private sealed unsafe class KernelJob : IChunkJob
    {
        public const int ChunkLength = 1 << 15;
        [ThreadStatic] private static KernelJob? _cached;
        private float* _p, _g, _m, _v, _mask;
        private int _length;
        private float _factor;
        private Scalars _scalars;

        public static void Run(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, Decay decay, Scalars scalars)
        {
            var job = _cached ??= new KernelJob();
            fixed (float* pp = p)
            fixed (float* pg = g)
            fixed (float* pm = m)
            fixed (float* pv = v)
            fixed (float* pmask = decay.Mask)
            {
                job._p = pp;
                job._g = pg;
                job._m = pm;
                job._v = pv;
                job._mask = pmask;
                (job._length, job._factor, job._scalars) = (p.Length, decay.Factor, scalars);
                ParallelChunks.Run(job, (p.Length + ChunkLength - 1) / ChunkLength);
            }
        }

        public void RunChunk(int chunk, int participant)
        {
            var start = chunk * ChunkLength;
            var n = Math.Min(ChunkLength, _length - start);
            var mask = _mask is null ? default : new ReadOnlySpan<float>(_mask + start, n);
            Kernel(new Span<float>(_p + start, n), new ReadOnlySpan<float>(_g + start, n), new Span<float>(_m + start, n),
                new Span<float>(_v + start, n), new Decay(_factor, mask), _scalars);
        }
    }
}

/// <summary>AdamW: Adam with decoupled weight decay (PyTorch's default λ = 0.01).</summary>
public sealed class AdamW(IEnumerable<OptimParameter> parameters, double learningRate = 1e-3, double beta1 = 0.9,
                          double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
    : Adam(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupled: true);
