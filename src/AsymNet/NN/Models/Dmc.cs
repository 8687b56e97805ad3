using AsymNet.NN.Layers;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Models;

/// <summary>
/// The metanetworks' DMC, a 1-D CNN over a network's flattened weights (Eilertsen et al.; the authors'
/// metanet/models.py): stages Conv1d(k 5, no padding) → ReLU → BatchNorm1d, doubling the channels 1→2→…→Width with
/// MaxPool1d(2) after each, then Conv1d(Width→Width) stages up to Depth convolutions in all, pooled after every second
/// one; a per-position Linear → LayerNorm → ReLU, the mean over positions, Linear → LayerNorm → ReLU → Linear(Width,
/// Classes). Keys "convs.i.*", "bns.i.*", "pos.*", "pos_norm.*", "lin.*", "lin_norm.*", "out.*".
/// </summary>
public sealed class Dmc : Model
{
    public const int Kernel = 5;

    private readonly ModuleList<Conv1d> _convs = new();
    private readonly ModuleList<BatchNorm1d> _bns = new();
    private readonly bool[] _pool;

    internal Dmc(ModelConfig config, LayerBuilder build) : base(config)
    {
        var doubling = DoublingStages(config.Width);
        if (config.Depth < doubling)
            throw new ArgumentException($"DMC with width {config.Width} needs Depth ≥ {doubling} convolutions, got {config.Depth}.");
        _pool = PoolAfter(config.Width, config.Depth);
        if (SequenceLength(config.InputShape[0], config.Width, config.Depth) < 1)
            throw new ArgumentException($"DMC with width {config.Width} and {config.Depth} convolutions needs longer inputs than {config.InputShape[0]} numbers.");
        var channels = 1;
        for (var i = 0; i < config.Depth; i++)
        {
            var next = i < doubling ? channels * 2 : config.Width;
            _convs.Add(new Conv1d(channels, next, Kernel, build.InitRng($"convs.{i}")));
            _bns.Add(new BatchNorm1d(next));
            channels = next;
        }
        RegisterModule("convs", _convs);
        RegisterModule("bns", _bns);
        var h = config.Width;
        Position = RegisterModule("pos", build.Linear("pos", h, h));
        PositionNorm = RegisterModule("pos_norm", new LayerNorm(h));
        Hidden = RegisterModule("lin", build.Linear("lin", h, h));
        HiddenNorm = RegisterModule("lin_norm", new LayerNorm(h));
        Output = RegisterModule("out", build.Linear("out", h, config.Classes));
    }

    public Linear Position { get; }
    public LayerNorm PositionNorm { get; }
    public Linear Hidden { get; }
    public LayerNorm HiddenNorm { get; }
    public Linear Output { get; }

    /// <summary>The convolution stack's output [B, Width, L] for inputs [B, N].</summary>
    public Tensor Encode(Tensor x)
    {
        var h = Ops.Reshape(x, x.Shape[0], 1, -1);
        for (var i = 0; i < _convs.Count; i++)
        {
            h = _bns[i].Forward(Ops.Relu(_convs[i].Forward(h)));
            if (_pool[i]) h = Ops.MaxPool1d(h, 2, 2);
        }
        return h;
    }

    public override Tensor Forward(Tensor x)
    {
        var perPosition = Ops.Relu(PositionNorm.Forward(Position.Forward(Ops.Transpose(Encode(x), 1, 2))));
        var pooled = Ops.Mean(perPosition, 1);
        return Output.Forward(Ops.Relu(HiddenNorm.Forward(Hidden.Forward(pooled))));
    }

    /// <summary>The sequence length after the convolutions for an input of <paramref name="inputSize"/> numbers
    /// (297 for 78,042 and 229 for 60,634 at the paper's width 64 and depth 10); 0 when the input is too short.</summary>
    public static int SequenceLength(int inputSize, int width, int depth)
    {
        var pool = PoolAfter(width, depth);
        var length = inputSize;
        for (var i = 0; i < depth; i++)
        {
            length -= Kernel - 1;
            if (pool[i]) length /= 2;
            if (length < 1) return 0;
        }
        return length;
    }

    private static int DoublingStages(int width)
    {
        if (width < 2 || (width & (width - 1)) != 0) throw new ArgumentException($"DMC doubles its channels up to the width: it must be a power of two ≥ 2, got {width}.");
        return System.Numerics.BitOperations.Log2((uint)width);
    }

    private static bool[] PoolAfter(int width, int depth)
    {
        var doubling = DoublingStages(width);
        return Enumerable.Range(0, depth).Select(i => i < doubling || (i - doubling) % 2 == 1).ToArray();
    }
}
