using System.Diagnostics;
using AsymNet.NN.Models;
using AsymNet.NN.Optim;
using AsymNet.NN.Training;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Metanet;

/// <summary>
/// One metanet job: trains through <see cref="Trainer"/>'s regression step with a fresh shuffle of the training
/// networks each epoch, scores the validation split after every epoch and the test split whenever validation R²
/// improves (as the authors' metanet/train.py), and keeps the predictions of that best epoch.
/// </summary>
public static class MetanetTraining
{
    /// <summary>Inputs of at most this many numbers go through DeepSets at once (its per-number embedding is
    /// Width floats per number: 2^20 numbers are 256 MiB per activation).</summary>
    public const int DeepSetsNumbersPerMicroBatch = 1 << 20;

    public static MetanetRunResult Run(MetanetRecipe recipe, MetanetJob job, MetanetData data, CancellationToken cancel, Action<MetanetEpoch>? onEpoch = null)
    {
        var clock = Stopwatch.StartNew();
        var name = MetanetPresets.Name(job.Metanet);
        var model = ModelFactory.Create(MetanetPresets.Config(job.Metanet, data.Width, data.TensorCount), InitSeed(recipe, job));
        var micro = job.Metanet == MetanetKind.DeepSets ? Math.Max(1, DeepSetsNumbersPerMicroBatch / data.Width) : (int?)null;
        var trainer = new Trainer(model, new AdamW(OptimParameter.From(model), job.Lr, weightDecay: recipe.WeightDecay),
            new TrainOptions { Epochs = recipe.Epochs, LearningRate = job.Lr, MicroBatch = micro });
        var shuffle = Rng.ForKey(recipe.Seed, $"metanet/{name}/{data.Variant}/{job.Id}/data");
        var train = data.Rows[MetanetData.Train].ToArray();
        var epochs = new List<MetanetEpoch>();
        var best = (Epoch: 0, Validation: (MetanetScores?)null, Test: (MetanetScores?)null, Predictions: (IReadOnlyList<MetanetPrediction>)[]);
        var batch = Math.Min(recipe.BatchSize, train.Length);
        var full = (X: Tensor.Persistent(batch, data.Width), Y: Tensor.Persistent(batch, 1));
        var tail = train.Length % batch == 0 ? full : (X: Tensor.Persistent(train.Length % batch, data.Width), Y: Tensor.Persistent(train.Length % batch, 1));
        var evalBatch = micro ?? recipe.BatchSize;
        string? diverged = null;
        for (var epoch = 1; epoch <= recipe.Epochs && diverged is null; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            model.Train();
            shuffle.Shuffle(train.AsSpan());
            double lossSum = 0;
            for (var start = 0; start < train.Length; start += batch)
            {
                var rows = train.AsSpan(start, Math.Min(batch, train.Length - start));
                var (x, y) = rows.Length == batch ? full : tail;
                data.Gather(rows, x, y);
                var loss = trainer.TrainStep(x, y);
                if (!float.IsFinite(loss))
                {
                    diverged = $"loss became {loss} in epoch {epoch}";
                    break;
                }
                lossSum += (double)loss * rows.Length;
            }
            if (diverged is not null) break;
            var (validation, validationPredictions) = Score(model, data, MetanetData.Validation, evalBatch);
            MetanetScores? test = null;
            if (best.Validation is null || validation.R2 > best.Validation.R2 || (double.IsNaN(best.Validation.R2) && !double.IsNaN(validation.R2)))
            {
                (test, var testPredictions) = Score(model, data, MetanetData.Test, evalBatch);
                best = (epoch, validation, test, job.IsSelection ? [] : [.. validationPredictions, .. testPredictions]);
            }
            var record = new MetanetEpoch(epoch, lossSum / train.Length, validation, test);
            epochs.Add(record);
            onEpoch?.Invoke(record);
        }
        return new MetanetRunResult(job, epochs, best.Epoch, best.Validation, best.Test, best.Predictions, diverged is not null, diverged,
            train.Length, data.Width, clock.Elapsed.TotalSeconds);
    }

    public static ulong InitSeed(MetanetRecipe recipe, MetanetJob job) => Rng.ForKey(recipe.Seed, $"metanet/{job.Id}/init").NextUInt64();

    /// <summary>Predictions of one split in eval mode without autograd, and their scores.</summary>
    private static (MetanetScores, List<MetanetPrediction>) Score(Model model, MetanetData data, string split, int batchSize)
    {
        var rows = data.Rows[split];
        var predictions = new double[rows.Length];
        model.Eval();
        using (GradMode.NoGrad())
        {
            for (var start = 0; start < rows.Length; start += batchSize)
            {
                var n = Math.Min(batchSize, rows.Length - start);
                using var scope = TensorScope.Begin();
                var x = Tensor.Empty(n, data.Width);
                var y = Tensor.Empty(n, 1);
                data.Gather(rows.AsSpan(start, n), x, y);
                var output = model.Forward(x).Span;
                for (var i = 0; i < n; i++) predictions[start + i] = output[i];
            }
        }
        model.Train();
        var targets = rows.Select(r => (double)data.Targets[r]).ToArray();
        var scores = new MetanetScores(RegressionMetrics.Mse(targets, predictions), RegressionMetrics.R2(targets, predictions), RegressionMetrics.KendallTauB(targets, predictions));
        var list = rows.Select((r, i) => new MetanetPrediction(split, data.Indices[r], targets[i], predictions[i])).ToList();
        return (scores, list);
    }
}
