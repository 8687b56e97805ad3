using AsymNet.NN.Models;
using AsymNet.Tensors;

namespace AsymNet.NN.Training;

/// <summary>
/// How <see cref="Trainer"/> turns one batch into the loss it minimises (and how many predictions were right, for the
/// running accuracy). Image classification and full-graph node classification are implementations; an experiment
/// that needs more (a KL term, another loss) wraps or implements this instead of writing a training loop.
/// </summary>
public interface ITrainingObjective<in TBatch>
{
    (Tensor Loss, int Correct) Loss(Model model, TBatch batch, TrainOptions options);

    /// <summary>Examples in the batch (the weight of its loss in the epoch's mean).</summary>
    int Count(TBatch batch);
}

/// <summary>The batches of a training epoch and their objective.</summary>
public interface ITrainingData<TBatch> : ITrainingObjective<TBatch>
{
    int StepsPerEpoch { get; }

    IEnumerable<TBatch> Epoch();
}
