using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using AsymNet.NN.Asymmetry;
using AsymNet.NN.Layers;
using AsymNet.Tensors;

namespace AsymNet.NN.Models;

/// <summary>A network built from a <see cref="ModelConfig"/>; Forward maps a batch of inputs to logits.</summary>
public abstract class Model(ModelConfig config) : Module
{
    public ModelConfig Config { get; } = config;

    /// <summary>Every W-Asymmetric layer's fixed part (mask, F, κ and its row report), by layer name.</summary>
    public IEnumerable<(string Layer, FixedWeights Fixed)> FixedLayers() =>
        NamedModules()
            .Select(m => (m.Name, Fixed: (m.Module as WeightLayer)?.Fixed))
            .Where(x => x.Fixed is not null)
            .Select(x => (x.Name, x.Fixed!));

    /// <summary>
    /// The state dict with every W-Asym weight replaced by a copy of its effective weight W' = M⊙W + (1−M)⊙κF: the
    /// authors' checkpoint convention, and what weight distances and interpolations should compare. Other tensors
    /// are shared, not copied.
    /// </summary>
    public List<KeyValuePair<string, Tensor>> EffectiveStateDict()
    {
        var fixedByWeight = FixedLayers().ToDictionary(f => f.Layer + ".weight", f => f.Fixed);
        return StateDict().Select(kv =>
        {
            if (!fixedByWeight.TryGetValue(kv.Key, out var f)) return kv;
            var effective = kv.Value.Clone();
            f.WriteFixedValuesInto(effective);
            return new KeyValuePair<string, Tensor>(kv.Key, effective);
        }).ToList();
    }

    /// <summary>
    /// SHA-256 (hex) over the names, shapes and bytes of everything the architecture seed determines: W-Asym masks and
    /// F, FiGLU matrices. Equal hashes mean two models (in any two processes) share their fixed parts bit for bit.
    /// </summary>
    public string FixedStateHash()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (key, tensor) in FixedBuffers())
        {
            sha.AppendData(Encoding.UTF8.GetBytes(key + "[" + string.Join(",", tensor.Shape) + "]"));
            sha.AppendData(MemoryMarshal.AsBytes(tensor.Span));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// The buffers the architecture seed determines (W-Asym "mask" and "normal_mask", FiGLU matrices) by state-dict
    /// key: the parts two networks of an LMC pair or a model zoo must share bit for bit.
    /// </summary>
    public IEnumerable<(string Key, Tensor Value)> FixedBuffers() =>
        NamedModules()
            .Where(m => m.Module is WeightLayer { Fixed: not null } or FiGLU)
            .SelectMany(m => m.Module.NamedBuffers(m.Name));
}
