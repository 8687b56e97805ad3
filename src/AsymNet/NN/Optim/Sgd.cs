using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace AsymNet.NN.Optim;

/// <summary>
/// Stochastic gradient descent with PyTorch 1.13's semantics (torch.optim.SGD, single-tensor path):
/// d = g + λ·p; with momentum μ the buffer starts as d and then b ← μ·b + (1 − dampening)·d; Nesterov uses
/// d + μ·b, plain momentum uses b; finally p ← p − lr·d.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly float[]?[] _momentum;

    public Sgd(IEnumerable<OptimParameter> parameters, double learningRate, double momentum = 0, double dampening = 0,
               bool nesterov = false, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        CheckNonNegative(momentum, nameof(momentum));
        CheckNonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum requires a momentum > 0 and zero dampening (as in PyTorch).");
        Momentum = momentum;
        Dampening = dampening;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
        _momentum = new float[Parameters.Count][];
    }

    public double Momentum { get; }

    internal override IReadOnlyList<(string Slot, float[]?[] Buffers)> StateSlots => [("momentum_buffer", _momentum)];
    public double Dampening { get; }
    public bool Nesterov { get; }
    public double WeightDecay { get; }

    protected override void Update(int index, OptimParameter p, Span<float> value, ReadOnlySpan<float> grad)
    {
        var d = GradWithL2(p, value, grad, WeightDecay);
        if (Momentum != 0)
        {
            var buf = _momentum[index];
            if (buf is null)
            {
                buf = _momentum[index] = StateFor(p);
                d.CopyTo(buf);
            }
            else
            {
                TensorPrimitives.Multiply(buf, (float)Momentum, buf);
                TensorPrimitives.FusedMultiplyAdd(d, (float)(1 - Dampening), buf, buf);
            }
            if (Nesterov)
            {
                var n = Scratch(1, value.Length);
                TensorPrimitives.FusedMultiplyAdd(buf, (float)Momentum, d, n);
                d = n;
            }
            else d = buf;
        }
        TensorPrimitives.FusedMultiplyAdd(d, (float)-LearningRate, value, value);
    }
}
