using AsymNet.Experiments.Zoo;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.Metanet;

/// <summary>The metanets' input from one zoo variant: networks in the zoo (the split is over them), trainable numbers
/// and weight tensors per network.</summary>
public sealed record MetanetInput(int Networks, int Width, int Tensors)
{
    /// <summary>The input of a zoo still to be trained, from its recipe: a freshly built network of the variant.</summary>
    public static MetanetInput Of(ZooRecipe zoo, Variant variant)
    {
        var model = ModelFactory.Create(ZooNetworks.Config(zoo, zoo.Shape(), variant), 0);
        var bytes = Safetensors.Serialize(model.StateDict().Select(kv => SafetensorsTensor.FromTensor(kv.Key, kv.Value)));
        var weights = NetworkWeights.Read(Safetensors.Parse(bytes, $"a fresh {variant} ResNet8"), variant);
        return new MetanetInput(zoo.Networks, weights.Count, weights.Tensors.Count);
    }

    /// <summary>The input of a trained zoo, from its first usable network of the variant.</summary>
    public static MetanetInput Of(ZooReader zoo, string variant)
    {
        var first = zoo.Usable(variant).FirstOrDefault() ?? throw new InvalidDataException($"Zoo {zoo.Dir} has no usable network of variant '{variant}'.");
        var weights = zoo.Load(first);
        return new MetanetInput(zoo.Records.Select(r => r.Index).Distinct().Count(), weights.Count, weights.Tensors.Count);
    }
}
