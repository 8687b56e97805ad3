using AsymNet.NN.Layers;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Models;

/// <summary>
/// The authors' MyConv (gnn/main_arxiv.py): x_i + mean of neighbours (PyG SimpleConv, mean, combine_root sum), then
/// "mlp" = Sequential(Linear, norm, activation), keys mlp.0.*, mlp.1.*, mlp.2.C (FiGLU sites only).
/// </summary>
public sealed class GnnConv : Module
{
    internal GnnConv(LayerBuilder build, string name, int inFeatures, int outFeatures)
    {
        Mlp = RegisterModule("mlp", new Sequential());
        Lin = build.Linear($"{name}.mlp.0", inFeatures, outFeatures);
        Mlp.Add(Lin);
        switch (build.Config.Norm)
        {
            case NormKind.Batch: Mlp.Add(new BatchNorm1d(outFeatures)); break;
            case NormKind.Layer: Mlp.Add(new LayerNorm(outFeatures)); break;
            case NormKind.None: break;
            default: throw new ArgumentException($"A GNN supports batch, layer or no norm, not {build.Config.Norm}.");
        }
        Mlp.Add(build.Activation($"{name}.mlp.{Mlp.Count}", outFeatures, FiGluLayout.DenseRightMultiply, "C"));
    }

    public Sequential Mlp { get; }
    public Linear Lin { get; }

    /// <summary>The layer on node features [nodes, features] of the graph (it has no one-input Forward).</summary>
    public Tensor Forward(Tensor x, CsrAdjacency adjacency) => Mlp.Forward(Ops.GraphMeanAggregate(x, adjacency));
}
