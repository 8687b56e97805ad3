using AsymNet.Data;
using AsymNet.NN.Models;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Training;

/// <summary>
/// Full-batch node classification: one step per epoch, the whole graph forward (so BatchNorm sees every node, as in
/// the authors' code), cross-entropy on the training nodes. The model must be a graph model (<see cref="IGraphModel"/>).
/// </summary>
public sealed class GraphTrainingData(GraphDataset graph) : ITrainingData<GraphDataset>
{
    private readonly int[] _trainLabels = [.. graph.TrainIndex.Select(i => graph.Labels[i])];

    public int StepsPerEpoch => 1;

    public IEnumerable<GraphDataset> Epoch() => [graph];

    public (Tensor Loss, int Correct) Loss(Model model, GraphDataset batch, TrainOptions options)
    {
        var logits = Ops.IndexSelect(new ModelInput(batch.Features, batch.Adjacency).Through(model), 0, batch.TrainIndex);
        return (Ops.CrossEntropy(logits, _trainLabels, options.LabelSmoothing), ImageClassification.CountCorrect(logits, _trainLabels));
    }

    public int Count(GraphDataset batch) => batch.TrainIndex.Length;
}
