using AsymNet.Tensors;

namespace AsymNet.NN.Models;

/// <summary>
/// One batch of what a model reads: its inputs and, for a graph model (<see cref="IGraphModel"/>), the graph whose
/// nodes the rows are. Code that runs any kind of model (BatchNorm re-estimation, symmetry audits, function
/// comparisons) takes this; a tensor converts to an input without a graph.
/// </summary>
public sealed record ModelInput(Tensor Features, CsrAdjacency? Graph = null)
{
    public static implicit operator ModelInput(Tensor features) => new(features);

    /// <summary>The module's output on this input: its graph forward when the input has a graph.</summary>
    public Tensor Through(Module module) => Graph is null
        ? module.Forward(Features)
        : module is IGraphModel graphModel
            ? graphModel.Forward(Features, Graph)
            : throw new ArgumentException($"The input has a graph, but {module.GetType().Name} is not a graph model.");
}
