using AsymNet.Tensors;

namespace AsymNet.NN.Models;

/// <summary>
/// A model whose forward reads a graph besides the node features: a typed two-input forward, so a model holds no
/// graph of its own. Code that runs any model passes a <see cref="ModelInput"/> with the graph.
/// </summary>
public interface IGraphModel
{
    /// <summary>Outputs for every node, from node features [nodes, features] and the graph on those nodes.</summary>
    Tensor Forward(Tensor features, CsrAdjacency adjacency);
}
