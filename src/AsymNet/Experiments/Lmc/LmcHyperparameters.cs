using System.Globalization;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.Lmc;

/// <summary>The values <c>asym lmc --tune</c> chooses per kind of network (docs/paper.md#lmc-mlp-tuning): a cell of its
/// grid, and in a tuned recipe what replaces the recipe's epochs, learning rate and weight decay for that kind.</summary>
public sealed record LmcHyperparameters(Variant Family, int Epochs, double LearningRate, double WeightDecay)
{
    /// <summary>"epochs 8, lr 0.001, wd 0.03".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"epochs {Epochs}, lr {LearningRate:G6}, wd {WeightDecay:G6}");
}
