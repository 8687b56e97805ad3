using AsymNet.NN.Layers;
using AsymNet.Tensors;

namespace AsymNet.NN.Models;

/// <summary>
/// The authors' MyGNN for node classification (gnn/main_arxiv.py): Depth × GnnConv with dropout between them, then
/// Linear "lin" to class logits (the authors append log_softmax; cross-entropy on logits is the same loss).
/// Its forward takes node features [nodes, features] and the graph (<see cref="IGraphModel"/>); it has no one-input Forward.
/// </summary>
public sealed class Gnn : Model, IGraphModel
{
    private readonly ModuleList<GnnConv> _convs = new();

    internal Gnn(ModelConfig config, LayerBuilder build) : base(config)
    {
        if (config.Depth < 1) throw new ArgumentException($"A GNN needs Depth ≥ 1 message-passing layers, got {config.Depth}.");
        if (config.InputShape.Length != 1)
            throw new ArgumentException($"A GNN needs [features] node inputs, got [{string.Join(", ", config.InputShape)}].");
        for (var i = 0; i < config.Depth; i++)
            _convs.Add(new GnnConv(build, $"convs.{i}", i == 0 ? config.InputShape[0] : config.Width, config.Width));
        RegisterModule("convs", _convs);
        Lin = RegisterModule("lin", build.Linear("lin", config.Width, config.Classes));
        Dropout = RegisterModule("dropout", new Dropout((float)config.Dropout, build.InitRng("dropout")));
    }

    public IReadOnlyList<GnnConv> Convs => _convs.Items;
    public Linear Lin { get; }
    public Dropout Dropout { get; }

    public Tensor Forward(Tensor x, CsrAdjacency adjacency)
    {
        if (x.Rank != 2 || x.Shape[0] != adjacency.NodeCount)
            throw new ArgumentException($"GNN input {ShapeUtil.Format(x.Shape)} does not match a graph of {adjacency.NodeCount} nodes.");
        for (var i = 0; i < _convs.Count; i++)
        {
            x = _convs[i].Forward(x, adjacency);
            if (i < _convs.Count - 1) x = Dropout.Forward(x);
        }
        return Lin.Forward(x);
    }
}
