using AsymNet.Tensors;

namespace AsymNet.NN.Models;

/// <summary>A model whose forward pass also reads a graph: set <see cref="Adjacency"/> before calling Forward.</summary>
public interface IGraphModel
{
    CsrAdjacency? Adjacency { get; set; }
}
