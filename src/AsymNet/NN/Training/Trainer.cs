using System.Diagnostics;
using AsymNet.Data;
using AsymNet.NN.Models;
using AsymNet.NN.Optim;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Training;

/// <summary>
/// THE training loop of AsymNet (every experiment and the bench use it): supervised training on any
/// <see cref="ITrainingData{TBatch}"/> (images through an <see cref="ImageLoader"/>, a full graph, …), whose objective
/// gives each batch's loss (cross-entropy with optional label smoothing for classifiers), an <see cref="Optimizer"/> whose rate follows the schedule step by step, per-epoch metrics and
/// evaluation. A non-finite loss stops the run and returns <see cref="TrainStatus.Diverged"/> instead of throwing,
/// so a sweep or model zoo records the network and moves on. One <see cref="TensorScope"/> object is reused for
/// every step, and everything a step creates returns to the pool when it ends: in the steady state a step
/// allocates (almost) nothing. Never writes to the console; progress goes to the callback.
/// </summary>
public sealed class Trainer(Model model, Optimizer optimizer, TrainOptions options)
{
    private readonly TensorScope _scope = new();

    public Model Model { get; } = model;
    public Optimizer Optimizer { get; } = optimizer;
    public TrainOptions Options { get; } = options;

    /// <summary>Trains for <see cref="TrainOptions.Epochs"/> epochs, evaluating on <paramref name="test"/> after each.</summary>
    public TrainResult Fit(ImageLoader train, ImageLoader? test = null, IProgress<TrainingProgress>? progress = null,
                           Action<EpochMetrics>? onEpoch = null, CancellationToken cancel = default) =>
        Fit(new ImageTrainingData(train), test is null ? null : epoch => Evaluate(Model, test, epoch, Options.Epochs, progress, cancel),
            progress, onEpoch, cancel);

    /// <summary>Trains for <see cref="TrainOptions.Epochs"/> epochs on <paramref name="train"/>; after each epoch
    /// <paramref name="evaluate"/> (given the epoch index) supplies the test metrics, or null when cancelled.</summary>
    public TrainResult Fit<TBatch>(ITrainingData<TBatch> train, Func<int, EvalResult?>? evaluate = null, IProgress<TrainingProgress>? progress = null,
                                   Action<EpochMetrics>? onEpoch = null, CancellationToken cancel = default)
    {
        var wall = Stopwatch.StartNew();
        var epochs = new List<EpochMetrics>();
        long steps = 0;
        for (var epoch = Options.FirstEpoch; epoch < Options.Epochs; epoch++)
        {
            var (status, message, metrics, epochSteps) = RunEpoch(train, epoch, progress, cancel);
            steps += epochSteps;
            if (status != TrainStatus.Completed)
                return new TrainResult(status, epochs, wall.Elapsed.TotalSeconds, steps, message);
            if (evaluate is not null)
            {
                var eval = evaluate(epoch);
                if (eval is null) return new TrainResult(TrainStatus.Cancelled, epochs, wall.Elapsed.TotalSeconds, steps, "cancelled during evaluation");
                metrics = metrics with { TestLoss = eval.Loss, TestAccuracy = eval.Accuracy, EvalSeconds = eval.Seconds };
            }
            epochs.Add(metrics);
            onEpoch?.Invoke(metrics);
        }
        return new TrainResult(TrainStatus.Completed, epochs, wall.Elapsed.TotalSeconds, steps, null);
    }

    private (TrainStatus, string?, EpochMetrics, int) RunEpoch<TBatch>(ITrainingData<TBatch> train, int epoch, IProgress<TrainingProgress>? progress,
                                                                      CancellationToken cancel)
    {
        Model.Train();
        var clock = Stopwatch.StartNew();
        var stepsPerEpoch = train.StepsPerEpoch;
        double lossSum = 0;
        long correct = 0;
        var samples = 0;
        var step = 0;
        foreach (var batch in train.Epoch())
        {
            if (cancel.IsCancellationRequested)
                return (TrainStatus.Cancelled, $"cancelled in epoch {epoch + 1}", Partial(), step);
            Optimizer.LearningRate = Options.LearningRate * Options.Schedule.Factor(epoch, step, stepsPerEpoch);
            var (loss, hits) = Step(train, batch);
            if (!double.IsFinite(loss))
                return (TrainStatus.Diverged, $"loss became {loss} at epoch {epoch + 1}, step {step + 1} (learning rate {Optimizer.LearningRate:G4})", Partial(), step);
            var count = train.Count(batch);
            lossSum += loss * count;
            correct += hits;
            samples += count;
            step++;
            progress?.Report(new TrainingProgress(TrainingPhase.Train, epoch, Options.Epochs, step, stepsPerEpoch, lossSum / samples, (double)correct / samples));
        }
        return (TrainStatus.Completed, null, Partial(), step);

        EpochMetrics Partial() => new(epoch + 1, samples > 0 ? lossSum / samples : double.NaN, samples > 0 ? (double)correct / samples : double.NaN,
            double.NaN, double.NaN, Optimizer.LearningRate, clock.Elapsed.TotalSeconds, 0, samples);
    }

    /// <summary>One optimizer step on a batch of images (<see cref="ImageClassification"/>).</summary>
    public (float Loss, int Correct) TrainStep(Tensor images, int[] labels) =>
        Step(ImageClassification.Instance, new LabeledImages(images, labels));

    /// <summary>
    /// One optimizer step on a batch under <paramref name="objective"/>; returns the batch's mean loss and the number of
    /// correct predictions. When the loss is not finite nothing is updated.
    /// </summary>
    public (float Loss, int Correct) Step<TBatch>(ITrainingObjective<TBatch> objective, TBatch batch)
    {
        using var scope = _scope.Enter();
        Optimizer.ZeroGrad();
        var (loss, hits) = objective.Loss(Model, batch, Options);
        var value = loss.Item();
        if (!float.IsFinite(value)) return (value, hits);
        loss.Backward();
        Optimizer.Step();
        return (value, hits);
    }

    /// <summary>
    /// Mean cross-entropy and accuracy of <paramref name="model"/> over every batch of <paramref name="loader"/>, in
    /// eval mode without autograd; the model's previous mode is restored. Null when cancelled.
    /// </summary>
    public static EvalResult? Evaluate(Model model, ImageLoader loader, int epoch = 0, int epochs = 1,
                                       IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        var wasTraining = model.Training;
        model.Eval();
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        long correct = 0;
        var count = 0;
        var step = 0;
        using var scope = new TensorScope();
        try
        {
            using var noGrad = GradMode.NoGrad();
            foreach (var batch in loader.Epoch())
            {
                if (cancel.IsCancellationRequested) return null;
                scope.Enter();
                try
                {
                    var logits = model.Forward(batch.Images);
                    // Summed in double per batch, then divided once: the mean over the whole set, as the paper's test loss.
                    lossSum += (double)Ops.CrossEntropy(logits, batch.Labels).Item() * batch.Count;
                    correct += ImageClassification.CountCorrect(logits, batch.Labels);
                }
                finally
                {
                    scope.Dispose();
                }
                count += batch.Count;
                step++;
                progress?.Report(new TrainingProgress(TrainingPhase.Evaluate, epoch, epochs, step, loader.BatchCount, lossSum / count, (double)correct / count));
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
        return new EvalResult(count > 0 ? lossSum / count : double.NaN, count > 0 ? (double)correct / count : double.NaN, count, clock.Elapsed.TotalSeconds);
    }
}
