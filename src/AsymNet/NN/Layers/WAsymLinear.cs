using AsymNet.NN.Asymmetry;
using AsymNet.Tensors;

namespace AsymNet.NN.Layers;

/// <summary>
/// W-Asymmetric Linear (the authors' SparseLinear): y = x·W'ᵀ + b with W' = M⊙W + (1−M)⊙κF (see
/// <see cref="WeightLayer"/>). Keys: "weight", "bias", "mask", "normal_mask". Biases are never masked
/// (docs/paper.md#effective-weight).
/// </summary>
public sealed class WAsymLinear(int inFeatures, int outFeatures, LayerAsymmetry spec, ulong architectureSeed, string layerName,
                                Rng rng, bool bias = true, WeightInit init = WeightInit.KaimingUniform)
    : Linear(inFeatures, outFeatures, rng, bias, init,
             new FixedWeights([outFeatures, inFeatures], spec, architectureSeed, layerName));
