using AsymNet.NN.Models;
using AsymNet.Symmetry.Interpolation;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Lmc;

/// <summary>Progress of one network's training, reported once per epoch. Training accuracy (NaN when not measured): for
/// images, the fraction of the epoch's training examples classified correctly as the network trained on them; for
/// graphs, train- and validation-node accuracy in evaluation mode after the epoch's step (paper Appendix A).</summary>
public sealed record LmcEpochProgress(int Epoch, int Epochs, double TrainLoss, double LearningRate, double TrainAccuracy = double.NaN,
    double ValidAccuracy = double.NaN);

/// <summary>How one network's training ended, and its epochs.</summary>
public sealed record LmcTrainOutcome(bool Diverged, string? Reason, double FinalTrainLoss, IReadOnlyList<LmcEpochProgress>? Epochs = null);

/// <summary>
/// The data side of an LMC run: trains a network with the recipe, evaluates it on the test data, supplies batches for
/// BatchNorm re-estimation and aligns a standard pair (re-basin). Image and graph tasks implement it; tests use
/// stand-ins.
/// </summary>
public interface ILmcTask : IDisposable
{
    /// <summary>Input shape and classes the models are built for.</summary>
    DatasetShape Shape { get; }

    /// <summary>A one-line description for the plan (dataset, sizes).</summary>
    string Description { get; }

    /// <summary>Optimizer steps per epoch (for the plan's time estimate).</summary>
    int StepsPerEpoch { get; }

    /// <summary>Trains <paramref name="model"/> in place with the recipe; the data order comes from <paramref name="dataSeed"/>.
    /// A non-finite loss ends training and is reported as divergence, not thrown.</summary>
    LmcTrainOutcome Train(Model model, LmcVariant family, ulong dataSeed, Action<LmcEpochProgress>? progress, CancellationToken cancel);

    /// <summary>Mean test loss and accuracy (the model is in evaluation mode).</summary>
    (double Loss, double Accuracy) Evaluate(Model model);

    /// <summary>Training inputs for BatchNorm re-estimation, enumerated afresh at each λ.</summary>
    IEnumerable<ModelInput> StatisticsBatches();

    /// <summary>
    /// Permutes <paramref name="b"/> in place into <paramref name="a"/>'s basin without changing its function
    /// (weight matching for MLPs and ResNets, activation matching for GNNs); <paramref name="rng"/> orders weight
    /// matching's permutations. Returns a line describing the alignment.
    /// </summary>
    string Align(Model a, Model b, Rng rng);

    /// <summary>Seconds for one optimizer step and for one full test evaluation of <paramref name="model"/>, measured
    /// on a scratch copy (for the plan's estimate).</summary>
    (double StepSeconds, double EvalSeconds) Measure(Model model);
}
