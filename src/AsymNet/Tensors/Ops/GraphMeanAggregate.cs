namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>x_i + mean over neighbours j of x_j (PyG SimpleConv mean, combine_root sum); isolated nodes keep x_i.</summary>
    public static Tensor GraphMeanAggregate(Tensor x, CsrAdjacency adjacency) =>
        throw new NotImplementedException("GraphMeanAggregate");
}
