using AsymNet.Tensors;
using AsymNet.Tensors.Ops;
using AsymNet.Tests.Support;
using O = AsymNet.Tensors.Ops.Ops;

namespace AsymNet.Tests.Tensors;

/// <summary>One differentiable input of a sample: its shape and the interval its values are drawn from.</summary>
public sealed record SampleInput(int[] Shape, float Lo = -1, float Hi = 1);

/// <summary>
/// One sample of an op (docs/engine.md, "Testing an op"): <see cref="F"/> applies the op to tensors drawn as
/// <see cref="Inputs"/> describes (constants such as masks, indices and running statistics live inside F).
/// <see cref="Large"/>, when given, replaces the inputs' shapes for the tests that need the op's parallel and vector
/// paths (too big for finite differences). <see cref="H"/>: the finite-difference step (smaller near kinks).
/// </summary>
public sealed record OpSample(string Op, string Case, Func<Tensor[], Tensor> F, SampleInput[] Inputs, int[][]? Large = null, double H = 1e-2)
{
    public string Key => $"{Op}: {Case}";

    /// <summary>Fresh persistent tensors for the inputs (the large shapes when asked), the same values for the same seed.</summary>
    public Tensor[] Draw(bool large, ulong seed = 11)
    {
        var rng = new Rng(seed);
        return [.. Inputs.Select((input, i) => GradCheck.Random(rng, input.Lo, input.Hi, large && Large is not null ? Large[i] : input.Shape))];
    }
}

/// <summary>
/// The one table of op samples: shapes with an empty dimension, broadcasting and odd sizes, per public op of
/// <see cref="Ops"/> (OpContractTests checks that none is missing). It drives the gradient checks on every kernel path,
/// the inline-versus-parallel parity, the agreement of kernel paths and the backward version check.
/// </summary>
public static class OpSamples
{
    private static SampleInput In(params int[] shape) => new(shape);
    private static SampleInput Pos(params int[] shape) => new(shape, 0.3f, 2f);
    private static SampleInput Scale(params int[] shape) => new(shape, 0.5f, 1.5f);

    private static readonly int[] Big = [2, 16, 64, 32]; // 65,536 floats: two parallel map chunks

    private static Tensor Masked(Tensor w) =>
        Tensor.FromArray([.. Enumerable.Range(0, w.Length).Select(i => i % 3 == 0 ? 0f : 1f)], w.Shape);

    private static Tensor Batch(Tensor[] t, bool training, bool affine)
    {
        long tracked = 0;
        var c = t[0].Shape[1];
        return O.BatchNorm(t[0], Tensor.Zeros(c), Tensor.Full(1f, c), affine ? t[1] : null, affine ? t[2] : null, training, 0.1f, 1e-5f, ref tracked);
    }

    private static readonly CsrAdjacency Graph = new([0, 2, 3, 3, 6], [1, 2, 0, 0, 1, 3]); // node 2 has no neighbours

    public static readonly OpSample[] All =
    [
        new("Add", "same shape", t => O.Add(t[0], t[1]), [In(3, 5), In(3, 5)], [Big, Big]),
        new("Add", "broadcast row", t => O.Add(t[0], t[1]), [In(3, 5), In(5)]),
        new("Add", "broadcast both", t => O.Add(t[0], t[1]), [In(2, 1, 4), In(3, 1)]),
        new("Add", "empty", t => O.Add(t[0], t[1]), [In(0, 4), In(4)]),
        new("AddRelu", "same shape", t => O.AddRelu(t[0], t[1]), [In(3, 7), In(3, 7)], [Big, Big], H: 1e-3),
        new("AddRelu", "broadcast", t => O.AddRelu(t[0], t[1]), [In(3, 7), In(7)], H: 1e-3),
        new("AddScalar", "odd", t => O.AddScalar(t[0], 1.25f), [In(3, 7)]),
        new("Sub", "broadcast", t => O.Sub(t[0], t[1]), [In(2, 3, 5), In(3, 1)]),
        new("Mul", "same shape", t => O.Mul(t[0], t[1]), [In(17), In(17)], [[1 << 16], [1 << 16]]),
        new("Mul", "broadcast", t => O.Mul(t[0], t[1]), [In(4, 1), In(1, 6)]),
        new("MulScalar", "odd", t => O.MulScalar(t[0], -0.75f), [In(2, 9)]),
        new("Div", "broadcast", t => O.Div(t[0], t[1]), [In(3, 5), Pos(5)]),
        new("Neg", "odd", t => O.Neg(t[0]), [In(19)]),
        new("Exp", "odd", t => O.Exp(t[0]), [In(33)], [[1 << 16]]),
        new("Log", "odd", t => O.Log(t[0]), [Pos(33)]),
        new("Sqrt", "odd", t => O.Sqrt(t[0]), [Pos(2, 9)]),
        new("Pow", "cube", t => O.Pow(t[0], 3f), [In(2, 9)]),
        new("Pow", "fractional", t => O.Pow(t[0], 1.5f), [Pos(2, 9)]),
        new("Relu", "odd", t => O.Relu(t[0]), [In(3, 11)], [Big], H: 1e-3),
        new("Relu", "empty", t => O.Relu(t[0]), [In(0, 3)]),
        new("Gelu", "odd", t => O.Gelu(t[0]), [new([35], -4, 4)], [[1 << 16]]),
        new("Sigmoid", "odd", t => O.Sigmoid(t[0]), [new([35], -6, 6)]),
        new("Tanh", "odd", t => O.Tanh(t[0]), [new([35], -3, 3)]),
        new("Sum", "all", t => O.Sum(t[0]), [In(3, 7)]),
        new("Sum", "empty", t => O.Sum(t[0]), [In(0, 3)]),
        new("Sum", "along 1", t => O.Sum(t[0], 1), [In(2, 3, 5)]),
        new("Sum", "along 0, kept", t => O.Sum(t[0], 0, keepDim: true), [In(3, 5)]),
        new("Mean", "all", t => O.Mean(t[0]), [In(3, 7)]),
        new("Mean", "along -1", t => O.Mean(t[0], -1), [In(2, 3, 5)]),
        new("Max", "along 1", t => O.Max(t[0], 1), [In(3, 7)], H: 1e-3),
        new("Max", "along 0, kept", t => O.Max(t[0], 0, keepDim: true), [In(4, 3, 2)], H: 1e-3),
        new("Softmax", "last", t => O.Softmax(t[0], -1), [In(3, 7)]),
        new("Softmax", "middle", t => O.Softmax(t[0], 1), [In(2, 3, 5)]),
        new("LogSoftmax", "last", t => O.LogSoftmax(t[0], -1), [In(3, 7)]),
        new("LogSoftmax", "first", t => O.LogSoftmax(t[0], 0), [In(4, 3)]),
        new("CrossEntropy", "plain", t => O.CrossEntropy(t[0], [2, 0, 4]), [In(3, 5)]),
        new("CrossEntropy", "label smoothing", t => O.CrossEntropy(t[0], [1, 3], 0.1f), [In(2, 5)]),
        new("NllLoss", "plain", t => O.NllLoss(t[0], [2, 0, 4]), [In(3, 5)]),
        new("MseLoss", "odd", t => O.MseLoss(t[0], t[1]), [In(3, 7), In(3, 7)]),
        new("Linear", "bias", t => O.Linear(t[0], t[1], t[2]), [In(3, 5), In(4, 5), In(4)]),
        new("Linear", "no bias", t => O.Linear(t[0], t[1], null), [In(2, 3, 5), In(4, 5)]),
        new("MatMul", "plain", t => O.MatMul(t[0], t[1]), [In(3, 5), In(5, 4)]),
        new("MatMul", "transposed", t => O.MatMul(t[0], t[1], transA: true, transB: true), [In(5, 3), In(4, 5)]),
        new("Conv2d", "direct 3x3", t => O.Conv2d(t[0], t[1], t[2], 1, 1), [In(2, 8, 4, 16), In(8, 8, 3, 3), In(8)],
            [[9, 16, 4, 32], [48, 16, 3, 3], [48]]),
        new("Conv2d", "direct 3x3, 8 wide, odd channels", t => O.Conv2d(t[0], t[1], null, 1, 1), [In(2, 3, 4, 8), In(16, 3, 3, 3)]),
        new("Conv2d", "stride 2 tap planes", t => O.Conv2d(t[0], t[1], null, 2, 1), [In(1, 4, 16, 16), In(8, 4, 3, 3)]),
        new("Conv2d", "grouped odd", t => O.Conv2d(t[0], t[1], t[2], 2, 1, 2), [In(2, 4, 5, 7), In(6, 2, 3, 3), In(6)]),
        new("Conv2d", "pointwise", t => O.Conv2d(t[0], t[1], null), [In(2, 3, 4, 5), In(5, 3, 1, 1)]),
        new("Conv1d", "padded", t => O.Conv1d(t[0], t[1], t[2], 1, 1), [In(2, 3, 9), In(4, 3, 3), In(4)]),
        new("AvgPool2d", "2x2", t => O.AvgPool2d(t[0], 2, 2), [In(2, 3, 4, 6)]),
        new("MaxPool2d", "3x3 stride 2", t => O.MaxPool2d(t[0], 3, 2), [new([2, 2, 7, 5], -8, 8)], H: 1e-3),
        new("MaxPool1d", "2", t => O.MaxPool1d(t[0], 2, 2), [In(2, 3, 9)], H: 1e-3),
        new("GlobalAvgPool2d", "odd", t => O.GlobalAvgPool2d(t[0]), [In(2, 3, 5, 3)]),
        new("LayerNorm", "affine", t => O.LayerNorm(t[0], t[1], t[2]), [In(3, 7), Scale(7), In(7)]),
        new("LayerNorm", "plain, rank 3", t => O.LayerNorm(t[0], null, null), [In(2, 3, 5)]),
        new("GroupNorm", "planes", t => O.GroupNorm(t[0], 2, t[1], t[2]), [In(2, 4, 3, 3), Scale(4), In(4)],
            [[6, 16, 32, 32], [16], [16]]),
        new("GroupNorm", "rows", t => O.GroupNorm(t[0], 3, null, null), [In(2, 6)]),
        new("GroupNorm", "relu epilogue", t => O.GroupNorm(t[0], 2, t[1], t[2], NormEpilogue.ThenRelu), [In(2, 4, 3, 3), Scale(4), new([4], 0.2f, 0.6f)],
            [[4, 16, 32, 32], [16], [16]], H: 1e-3),
        new("GroupNormRelu", "rows", t => O.GroupNormRelu(t[0], 2, t[1], t[2]), [In(3, 4), Scale(4), new([4], 0.2f, 0.6f)], H: 1e-3),
        new("GroupNormAddRelu", "planes", t => O.GroupNormAddRelu(t[0], 2, t[1], t[2], t[3]),
            [In(2, 4, 3, 3), Scale(4), new([4], 0.2f, 0.6f), In(2, 4, 3, 3)], [[4, 16, 32, 32], [16], [16], [4, 16, 32, 32]], H: 1e-3),
        new("GroupNormAddRelu", "rows", t => O.GroupNormAddRelu(t[0], 1, null, null, t[1]), [In(3, 4), In(3, 4)], H: 1e-3),
        new("BatchNorm", "training planes", t => Batch(t, training: true, affine: true), [In(3, 4, 2, 3), Scale(4), In(4)],
            [[6, 16, 32, 32], [16], [16]]),
        new("BatchNorm", "training rows", t => Batch(t, training: true, affine: false), [In(5, 3)]),
        new("BatchNorm", "eval", t => Batch(t, training: false, affine: true), [In(2, 3, 4), Scale(3), In(3)]),
        new("Dropout", "training", t => O.Dropout(t[0], 0.3f, new Rng(5), training: true), [In(4, 9)]),
        new("FixedBlend", "masked", t => O.FixedBlend(t[0], Masked(t[0]), Tensor.Full(0.5f, t[0].Shape), 2f), [In(3, 5)]),
        new("Reshape", "flatten", t => O.Reshape(t[0], 6, -1), [In(2, 3, 5)]),
        new("Transpose", "0 and 2", t => O.Transpose(t[0], 0, 2), [In(2, 3, 4)]),
        new("Permute", "cycle", t => O.Permute(t[0], 2, 0, 1), [In(2, 3, 4)]),
        new("Narrow", "middle", t => O.Narrow(t[0], 1, 2), [In(4, 3)]),
        new("Concat", "dim 1", t => O.Concat([t[0], t[1]], 1), [In(2, 3), In(2, 0)]),
        new("Concat", "dim 0", t => O.Concat([t[0], t[1], t[0]], 0), [In(1, 4), In(2, 4)]),
        new("Stack", "dim 1", t => O.Stack([t[0], t[1]], 1), [In(3, 2), In(3, 2)]),
        new("Gather", "dim 1", t => O.Gather(t[0], 1, [2, 0, 1, 1, 0, 2], [3, 2]), [In(3, 3)]),
        new("IndexSelect", "repeats", t => O.IndexSelect(t[0], 0, [3, 0, 3]), [In(4, 5)]),
        new("GraphMeanAggregate", "isolated node", t => O.GraphMeanAggregate(t[0], Graph), [In(4, 3)]),
    ];

    private static readonly Dictionary<string, OpSample> ByKey = All.ToDictionary(s => s.Key);

    public static OpSample Get(string key) => ByKey[key];

    public static TheoryData<string> Keys() => [.. All.Select(s => s.Key)];
}
