using System.Diagnostics;
using AsymNet.Data;
using AsymNet.NN.Models;
using AsymNet.NN.Optim;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace AsymNet.NN.Training;

/// <summary>
/// Supervised training of a classifier on an <see cref="ImageLoader"/>: cross-entropy (with optional label
/// smoothing), an <see cref="Optimizer"/> whose rate follows the schedule step by step, per-epoch metrics and
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
                           Action<EpochMetrics>? onEpoch = null, CancellationToken cancel = default)
    {
        var wall = Stopwatch.StartNew();
        var epochs = new List<EpochMetrics>();
        long steps = 0;
        for (var epoch = 0; epoch < Options.Epochs; epoch++)
        {
            var (status, message, metrics, epochSteps) = RunEpoch(train, epoch, progress, cancel);
            steps += epochSteps;
            if (status != TrainStatus.Completed)
                return new TrainResult(status, epochs, wall.Elapsed.TotalSeconds, steps, message);
            if (test is not null)
            {
                var eval = Evaluate(Model, test, epoch, Options.Epochs, progress, cancel);
                if (eval is null) return new TrainResult(TrainStatus.Cancelled, epochs, wall.Elapsed.TotalSeconds, steps, "cancelled during evaluation");
                metrics = metrics with { TestLoss = eval.Loss, TestAccuracy = eval.Accuracy, EvalSeconds = eval.Seconds };
            }
            epochs.Add(metrics);
            onEpoch?.Invoke(metrics);
        }
        return new TrainResult(TrainStatus.Completed, epochs, wall.Elapsed.TotalSeconds, steps, null);
    }

    private (TrainStatus, string?, EpochMetrics, int) RunEpoch(ImageLoader train, int epoch, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        Model.Train();
        var clock = Stopwatch.StartNew();
        var stepsPerEpoch = train.BatchCount;
        double lossSum = 0;
        long correct = 0;
        var samples = 0;
        var step = 0;
        foreach (var batch in train.Epoch())
        {
            if (cancel.IsCancellationRequested)
                return (TrainStatus.Cancelled, $"cancelled in epoch {epoch + 1}", Partial(), step);
            Optimizer.LearningRate = Options.LearningRate * Options.Schedule.Factor(epoch, step, stepsPerEpoch);
            var (loss, hits) = TrainStep(batch.Images, batch.Labels);
            if (!double.IsFinite(loss))
                return (TrainStatus.Diverged, $"loss became {loss} at epoch {epoch + 1}, step {step + 1} (learning rate {Optimizer.LearningRate:G4})", Partial(), step);
            lossSum += loss * batch.Count;
            correct += hits;
            samples += batch.Count;
            step++;
            progress?.Report(new TrainingProgress(TrainingPhase.Train, epoch, Options.Epochs, step, stepsPerEpoch, lossSum / samples, (double)correct / samples, loss));
        }
        return (TrainStatus.Completed, null, Partial(), step);

        EpochMetrics Partial() => new(epoch + 1, samples > 0 ? lossSum / samples : double.NaN, samples > 0 ? (double)correct / samples : double.NaN,
            double.NaN, double.NaN, Optimizer.LearningRate, clock.Elapsed.TotalSeconds, 0, samples);
    }

    /// <summary>
    /// One optimizer step on a batch; returns the batch's mean loss and the number of correct predictions. When the
    /// loss is not finite nothing is updated.
    /// </summary>
    public (float Loss, int Correct) TrainStep(Tensor images, ReadOnlySpan<int> labels)
    {
        using var scope = _scope.Enter();
        Optimizer.ZeroGrad();
        var logits = Model.Forward(images);
        var loss = Ops.CrossEntropy(logits, labels, Options.LabelSmoothing);
        var value = loss.Item();
        var hits = CountCorrect(logits, labels);
        if (Options.ExtraLoss is { } extra)
        {
            loss = Ops.Add(loss, extra());
            // A non-finite extra term is divergence as well; the data term is what is reported.
            if (!float.IsFinite(loss.Item())) return (float.NaN, hits);
        }
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
                    correct += CountCorrect(logits, batch.Labels);
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

    /// <summary>Rows whose largest logit (first one on ties, as torch.argmax) is the label.</summary>
    private static int CountCorrect(Tensor logits, ReadOnlySpan<int> labels)
    {
        var c = logits.Shape[1];
        var span = logits.Span;
        var hits = 0;
        for (var i = 0; i < labels.Length; i++)
            if (TensorPrimitives.IndexOfMax(span.Slice(i * c, c)) == labels[i]) hits++;
        return hits;
    }
}
