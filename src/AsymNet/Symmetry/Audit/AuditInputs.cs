using AsymNet.NN.Models;
using AsymNet.Tensors;

namespace AsymNet.Symmetry.Audit;

/// <summary>Random probe inputs for an audit: a batch of N(0, 1) samples of the model's input shape; for graph
/// models, node features plus a random undirected graph (each node linked to 3 random others).</summary>
public static class AuditInputs
{
    public static ModelInput For(Model model, int batch, Rng rng)
    {
        var shape = new[] { batch }.Concat(model.Config.InputShape).ToArray();
        var x = Tensor.Persistent(shape);
        rng.FillNormal(x.Span);
        return model is IGraphModel ? new ModelInput(x, RandomGraph(batch, 3, rng)) : x;
    }

    public static CsrAdjacency RandomGraph(int nodes, int linksPerNode, Rng rng)
    {
        var neighbours = Enumerable.Range(0, nodes).Select(_ => new SortedSet<int>()).ToArray();
        for (var i = 0; i < nodes && nodes > 1; i++)
            for (var k = 0; k < linksPerNode; k++)
            {
                var j = rng.NextInt(nodes);
                if (j == i) continue;
                neighbours[i].Add(j);
                neighbours[j].Add(i);
            }
        var rowPointers = new int[nodes + 1];
        for (var i = 0; i < nodes; i++) rowPointers[i + 1] = rowPointers[i] + neighbours[i].Count;
        return new CsrAdjacency(rowPointers, neighbours.SelectMany(n => n).ToArray());
    }
}
