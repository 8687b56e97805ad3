using AsymNet.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace AsymNet.NN.Optim;

/// <summary>
/// Base of the optimizers: a fixed list of parameters, a learning rate a schedule may change between steps, and
/// per-parameter updates written against spans with <see cref="TensorPrimitives"/>. Scratch buffers are sized
/// once for the largest parameter, so a step allocates nothing. Like PyTorch, a parameter whose gradient is null
/// is skipped entirely (no decay, no state change); a zeroed gradient is a real (zero) gradient.
/// PyTorch's CPU kernels compute <c>a.add_(b, alpha=s)</c> (and addcmul) with a fused multiply-add, so the
/// updates here use <see cref="TensorPrimitives.FusedMultiplyAdd(ReadOnlySpan{float}, float, ReadOnlySpan{float}, Span{float})"/>
/// where PyTorch does; on an FMA machine every committed reference case then matches PyTorch 1.13 bit for bit.
/// </summary>
public abstract class Optimizer
{
    private readonly float[][] _scratch;

    protected Optimizer(IEnumerable<OptimParameter> parameters, double learningRate)
    {
        Parameters = parameters.ToList();
        if (Parameters.Count == 0) throw new ArgumentException("An optimizer needs at least one parameter.");
        if (!(learningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), $"Learning rate must be ≥ 0, got {learningRate}.");
        LearningRate = learningRate;
        var largest = Parameters.Max(p => p.Value.Length);
        _scratch = [new float[largest], new float[largest], new float[largest]];
    }

    public IReadOnlyList<OptimParameter> Parameters { get; }

    /// <summary>The rate of the next <see cref="Step"/> (schedules set it before each step).</summary>
    public double LearningRate { get; set; }

    /// <summary>Number of <see cref="Step"/> calls so far.</summary>
    public long StepCount { get; internal set; }

    /// <summary>Per-parameter state by slot, with PyTorch's names (exp_avg, exp_avg_sq, momentum_buffer); an entry is null
    /// until its parameter's first update. What <see cref="OptimizerState"/> saves and restores.</summary>
    internal abstract IReadOnlyList<(string Slot, float[]?[] Buffers)> StateSlots { get; }

    /// <summary>Per-parameter update counts, for optimizers that keep them (Adam's bias correction).</summary>
    internal virtual long[]? ParameterSteps => null;

    /// <summary>Sets every gradient to zero (PyTorch 1.13's zero_grad(set_to_none=False)).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters) p.Value.ZeroGrad();
    }

    /// <summary>Updates every parameter that has a gradient.</summary>
    public void Step()
    {
        StepCount++;
        for (var i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (p.Value.Grad is not { } grad) continue;
            Update(i, p, p.Value.Span, grad.Span);
        }
    }

    /// <summary>Applies one update to parameter <paramref name="index"/>.</summary>
    protected abstract void Update(int index, OptimParameter p, Span<float> value, ReadOnlySpan<float> grad);

    /// <summary>Scratch buffer <paramref name="k"/> (0..2) cut to <paramref name="length"/>; contents undefined.</summary>
    protected Span<float> Scratch(int k, int length) => _scratch[k].AsSpan(0, length);

    /// <summary>
    /// grad + λ·param (coupled L2 decay, PyTorch's <c>grad.add(param, alpha=weight_decay)</c>) in scratch 0, or grad
    /// itself when λ = 0. Fixed entries (mask 0) get no decay term.
    /// </summary>
    protected ReadOnlySpan<float> GradWithL2(OptimParameter p, ReadOnlySpan<float> value, ReadOnlySpan<float> grad, double weightDecay)
    {
        if (weightDecay == 0) return grad;
        var g = Scratch(0, grad.Length);
        if (p.TrainableMask is { } mask)
        {
            TensorPrimitives.Multiply(value, mask.Span, g);
            TensorPrimitives.FusedMultiplyAdd(g, (float)weightDecay, grad, g);
        }
        else TensorPrimitives.FusedMultiplyAdd(value, (float)weightDecay, grad, g);
        return g;
    }

    /// <summary>
    /// param ← param·(1 − lr·λ) (decoupled decay, AdamW), leaving fixed entries untouched. Uses scratch 0.
    /// </summary>
    protected void DecoupledDecay(OptimParameter p, Span<float> value, double lr, double weightDecay)
    {
        if (weightDecay == 0) return;
        var factor = (float)(1 - lr * weightDecay);
        if (p.TrainableMask is not { } mask)
        {
            TensorPrimitives.Multiply(value, factor, value);
            return;
        }
        var f = Scratch(0, value.Length);
        if (factor is >= 0.5f and <= 2f)
        {
            // mask·(factor − 1) + 1 is exactly factor on trainable entries (factor − 1 is exact by Sterbenz's lemma)
            // and exactly 1 on fixed ones, so trainable entries decay bit for bit as without a mask.
            TensorPrimitives.Multiply(mask.Span, factor - 1f, f);
            TensorPrimitives.Add(f, 1f, f);
        }
        else
        {
            var m = mask.Span;
            for (var i = 0; i < f.Length; i++) f[i] = m[i] == 0f ? 1f : factor;
        }
        TensorPrimitives.Multiply(value, f, value);
    }

    /// <summary>A persistent zeroed state buffer for a parameter.</summary>
    protected static float[] StateFor(OptimParameter p) => new float[p.Value.Length];

    protected static void CheckNonNegative(double value, string name)
    {
        if (!(value >= 0)) throw new ArgumentOutOfRangeException(name, $"{name} must be ≥ 0, got {value}.");
    }
}
