using AsymNet.NN;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.Bayes;

/// <summary>
/// The ELRG posterior of one weight layer, attached to it as its output noise: the layer's own weight and bias are the
/// mean μ; this module holds V ("v_weight" [rank, ...weight shape], "v_bias" [rank, out]) and, when learned, log s
/// ("log_s_weight", "log_s_bias"). A sample of the output is mean + √(x²∗s_w + s_b)·ε (local reparameterisation) +
/// √α Σ_r ε_r (x∗V_r + v_b,r) with one ε_r per example (an exact per-example weight perturbation). A W-Asym layer's
/// fixed entries have s = 0 and V = 0, so their κF value is exact in every sample.
/// </summary>
public abstract class ElrgPosterior : Module, NN.Layers.IOutputNoise
{
    private readonly Tensor _fixedSWeight;
    private readonly Tensor? _fixedSBias;

    protected ElrgPosterior(string layer, Tensor weight, Tensor? bias, Tensor? mask, int priorCount, ElrgOptions options, NoiseSource noise)
    {
        options.Validate();
        Layer = layer;
        Mean = weight;
        MeanBias = bias;
        Mask = mask;
        Options = options;
        Noise = noise;
        Rank = options.Rank;
        PriorVariance = options.PriorVariance(priorCount);
        var outputs = weight.Shape[0];
        if (Rank > 0)
        {
            VWeight = RegisterParameter("v_weight", Tensor.Persistent([Rank, .. weight.Shape]));
            if (bias is not null) VBias = RegisterParameter("v_bias", Tensor.Persistent(Rank, outputs));
        }
        var s0 = (float)Math.Exp(options.InitLogVariance);
        if (options.LearnDiagonal)
        {
            LogSWeight = RegisterParameter("log_s_weight", Tensor.Persistent(weight.Shape));
            LogSWeight.Span.Fill((float)options.InitLogVariance);
            if (mask is not null) LogSWeight.SetGradMask(mask);
            if (bias is not null)
            {
                LogSBias = RegisterParameter("log_s_bias", Tensor.Persistent(outputs));
                LogSBias.Span.Fill((float)options.InitLogVariance);
            }
        }
        _fixedSWeight = Tensor.Persistent(weight.Shape);
        _fixedSWeight.Span.Fill(s0);
        if (mask is not null) System.Numerics.Tensors.TensorPrimitives.Multiply(_fixedSWeight.Span, mask.Span, _fixedSWeight.Span);
        if (bias is not null)
        {
            _fixedSBias = Tensor.Persistent(outputs);
            _fixedSBias.Span.Fill(s0);
        }
    }

    /// <summary>The layer's name in its model (state-dict prefix).</summary>
    public string Layer { get; }

    /// <summary>μ of the weight: the layer's raw weight (a W-Asym layer's effective weight equals it on trainable entries).</summary>
    public Tensor Mean { get; }
    public Tensor? MeanBias { get; }

    /// <summary>1 = trainable, 0 = fixed (W-Asym layers); null: every entry is trainable.</summary>
    public Tensor? Mask { get; }
    public ElrgOptions Options { get; }
    public NoiseSource Noise { get; }
    public int Rank { get; }
    public double PriorVariance { get; }
    public Tensor? VWeight { get; }
    public Tensor? VBias { get; }
    public Tensor? LogSWeight { get; }
    public Tensor? LogSBias { get; }

    public override Tensor Forward(Tensor x) => throw new InvalidOperationException($"{GetType().Name} is the output noise of layer '{Layer}', not a layer of its own.");

    public Tensor AddTo(Tensor meanOutput, Tensor input)
    {
        var (sWeight, sBias) = DiagonalVariances();
        var variance = Propagate(Ops.Mul(input, input), sWeight, sBias);
        var y = Ops.Add(meanOutput, DiagonalNoise.Sample(variance, Noise.Normal(variance.Shape)));
        if (Rank == 0) return y;
        var v = Mask is null ? VWeight! : Ops.Mul(VWeight!, Mask);
        var batch = input.Shape[0];
        // All rank directions in one op: rank·out output units, rank-major.
        var z = Propagate(input, Ops.Reshape(v, [Rank * Mean.Shape[0], .. Mean.Shape[1..]]), VBias is null ? null : Ops.Reshape(VBias, Rank * Mean.Shape[0]));
        var lowRank = RankMix.Apply(z, Noise.Normal(batch, Rank), (float)Math.Sqrt(Options.Alpha));
        return Ops.Add(y, Ops.Reshape(lowRank, meanOutput.Shape));
    }

    /// <summary>s of the weight (zero on fixed entries) and of the bias.</summary>
    public (Tensor Weight, Tensor? Bias) DiagonalVariances()
    {
        if (LogSWeight is null) return (_fixedSWeight, _fixedSBias);
        var sw = Ops.Exp(LogSWeight);
        if (Mask is not null) sw = Ops.Mul(sw, Mask);
        return (sw, LogSBias is null ? null : Ops.Exp(LogSBias));
    }

    /// <summary>The layer's own linear map (linear or convolution) of <paramref name="x"/> with the given weight and bias.</summary>
    protected abstract Tensor Propagate(Tensor x, Tensor weight, Tensor? bias);

    /// <summary>KL(q‖p) of this layer, differentiable in μ, V and learned log s.</summary>
    public Tensor Kl()
    {
        var blocks = new List<ElrgKl.Block>
        {
            new(Mean, VWeight, LogSWeight, Options.InitLogVariance, Mask),
        };
        if (MeanBias is not null) blocks.Add(new(MeanBias, VBias, LogSBias, Options.InitLogVariance, null));
        return ElrgKl.Compute(blocks, Rank, Options.Alpha, PriorVariance);
    }

    /// <summary>Number of random (trainable) weight and bias entries: d of the KL.</summary>
    public long RandomCount()
    {
        long n = MeanBias?.Length ?? 0;
        if (Mask is null) return n + Mean.Length;
        foreach (var m in Mask.Span) if (m != 0f) n++;
        return n;
    }

    /// <summary>Fills V as the authors do: linear weights 0.5·std(W)/√rank·N(0, 1), biases 0.01·N(0, 1), convs zero.</summary>
    public abstract void InitializeV(Rng rng);
}
