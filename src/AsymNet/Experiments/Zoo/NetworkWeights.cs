using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.Zoo;

/// <summary>
/// One zoo network's parameters as the metanetworks read them (docs/paper.md#metanet-inputs): the state dict's
/// parameters in order (buffers "mask", "normal_mask" and "F_mat" left out), each reduced to its trainable entries
/// (where its layer's mask is 1; all entries of a layer without a mask). A standard ResNet8 gives 78,042 numbers in
/// 29 tensors, a W-Asym one 60,634 (its stem conv gives none).
/// </summary>
public sealed class NetworkWeights
{
    private static readonly Dictionary<Variant, IReadOnlyList<string>> Orders = [];

    private NetworkWeights(IReadOnlyList<(string Key, float[] Values)> tensors) => Tensors = tensors;

    /// <summary>Each parameter's trainable entries, row-major, in state-dict order.</summary>
    public IReadOnlyList<(string Key, float[] Values)> Tensors { get; }

    public int Count => Tensors.Sum(t => t.Values.Length);

    /// <summary>All trainable entries concatenated (the MLP, DMC and DeepSets input).</summary>
    public void CopyTo(Span<float> destination)
    {
        foreach (var (_, values) in Tensors)
        {
            values.CopyTo(destination);
            destination = destination[values.Length..];
        }
    }

    /// <summary>StatNN's 7 statistics per tensor.</summary>
    public void StatisticsTo(Span<float> destination)
    {
        for (var t = 0; t < Tensors.Count; t++)
            StatNNFeatures.Write(Tensors[t].Values, destination.Slice(t * StatNNFeatures.PerTensor, StatNNFeatures.PerTensor));
    }

    /// <summary>Reads a ResNet8 state dict of <paramref name="variant"/>; the parameter order is that of AsymNet's
    /// ResNet8, whose keys are the authors'. Errors name the file and the keys.</summary>
    public static NetworkWeights Read(SafetensorsFile file, Variant variant)
    {
        var order = ParameterOrder(variant);
        var missing = order.Where(k => !file.Contains(k)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{file.Source} is not a {variant} ResNet8 state dict: key(s) {string.Join(", ", missing.Take(5))} missing.");
        var known = order.ToHashSet();
        var unexpected = file.Names.Where(n => !known.Contains(n) && !IsFixedBuffer(n)).ToList();
        if (unexpected.Count > 0)
            throw new InvalidDataException($"{file.Source}: unexpected key(s) {string.Join(", ", unexpected.Take(5))} for a {variant} ResNet8.");
        var tensors = new List<(string, float[])>(order.Count);
        foreach (var key in order)
        {
            var values = file[key].ToFloatArray();
            var maskKey = key.EndsWith(".weight", StringComparison.Ordinal) ? key[..^"weight".Length] + "mask" : null;
            if (maskKey is not null && file.TryGet(maskKey, out var maskTensor))
            {
                var mask = maskTensor.ToFloatArray();
                if (mask.Length != values.Length)
                    throw new InvalidDataException($"{file.Source}: '{maskKey}' has {mask.Length} entries, '{key}' {values.Length}.");
                values = values.Where((_, i) => mask[i] != 0f).ToArray();
            }
            tensors.Add((key, values));
        }
        return new NetworkWeights(tensors);
    }

    private static bool IsFixedBuffer(string key) =>
        key.EndsWith(".mask", StringComparison.Ordinal) || key.EndsWith(".normal_mask", StringComparison.Ordinal) || key.EndsWith(".F_mat", StringComparison.Ordinal);

    private static IReadOnlyList<string> ParameterOrder(Variant variant)
    {
        lock (Orders)
        {
            if (!Orders.TryGetValue(variant, out var order))
                Orders[variant] = order = ModelFactory.Create(ModelPresets.Get("resnet8", variant, null, 0), 0).NamedParameters().Select(p => p.Name).ToList();
            return order;
        }
    }
}
