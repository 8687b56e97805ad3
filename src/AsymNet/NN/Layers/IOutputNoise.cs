using AsymNet.Tensors;

namespace AsymNet.NN.Layers;

/// <summary>
/// Noise added to a weight layer's mean output, given its input: how a variational posterior (AsymNet.Bayes attaches
/// one to Linear and Conv2d) samples its weights by the local reparameterisation trick. Null on a layer: deterministic.
/// </summary>
public interface IOutputNoise
{
    /// <summary>The mean output plus one noise sample per example.</summary>
    Tensor AddTo(Tensor meanOutput, Tensor input);
}
