using AsymNet.NN.Asymmetry;
using AsymNet.Tensors;

namespace AsymNet.NN.Layers;

/// <summary>
/// W-Asymmetric Conv2d (the authors' SparseConv2d): conv2d(x, W') with W' = M⊙W + (1−M)⊙κF and no bias (see
/// <see cref="WeightLayer"/>). Masks fix entries or whole input-channel filters per output channel. Keys: "weight",
/// "mask", "normal_mask".
/// </summary>
public sealed class WAsymConv2d(int inChannels, int outChannels, int kernelSize, LayerAsymmetry spec, ulong architectureSeed,
                                string layerName, Rng rng, int stride = 1, int padding = 0, WeightInit init = WeightInit.KaimingUniform)
    : Conv2d(inChannels, outChannels, kernelSize, rng, stride, padding, bias: false, init,
             new FixedWeights([outChannels, inChannels, kernelSize, kernelSize], spec, architectureSeed, layerName));
