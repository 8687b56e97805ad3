using System.Diagnostics;
using AsymNet.NN.Models;
using AsymNet.NN.Optim;
using AsymNet.NN.Training;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Metanet;

/// <summary>
/// One metanet job: <see cref="Trainer.Fit{TBatch}"/> on <see cref="MetanetTrainingData"/> (MSE, a fresh shuffle of the
/// training networks each epoch); after every epoch the validation split is scored and, whenever validation R²
/// improves, the test split (as the authors' metanet/train.py), keeping the predictions of that best epoch.
/// </summary>
public static class MetanetTraining
{
    public static MetanetRunResult Run(MetanetRecipe recipe, MetanetJob job, MetanetData data, CancellationToken cancel, Action<MetanetEpoch>? onEpoch = null)
    {
        var clock = Stopwatch.StartNew();
        var name = MetanetPresets.Name(job.Metanet);
        var model = ModelFactory.Create(MetanetPresets.Config(job.Metanet, data.Width, data.TensorCount), InitSeed(recipe, job));
        var trainer = new Trainer(model, new AdamW(OptimParameter.From(model), job.Lr, weightDecay: recipe.WeightDecay),
            new TrainOptions { Epochs = recipe.Epochs, LearningRate = job.Lr });
        var train = new MetanetTrainingData(data, recipe.BatchSize, Rng.ForKey(recipe.Seed, $"metanet/{name}/{data.Variant}/{job.Id}/data"));
        var epochs = new List<MetanetEpoch>();
        var best = (Epoch: 0, Validation: (MetanetScores?)null, Test: (MetanetScores?)null, Predictions: (IReadOnlyList<MetanetPrediction>)[]);
        // Scoring batches hold at most 2^20 input numbers (DeepSets embeds each in Width floats); in eval mode the batch
        // size does not change a prediction.
        var scoreBatch = Math.Clamp((1 << 20) / data.Width, 1, recipe.BatchSize);
        MetanetScores? validation = null, test = null;
        var result = trainer.Fit(train, epoch =>
        {
            var evalClock = Stopwatch.StartNew();
            (validation, var validationPredictions) = Score(model, data, MetanetData.Validation, scoreBatch);
            test = null;
            if (best.Validation is null || validation.R2 > best.Validation.R2 || (double.IsNaN(best.Validation.R2) && !double.IsNaN(validation.R2)))
            {
                (test, var testPredictions) = Score(model, data, MetanetData.Test, scoreBatch);
                best = (epoch + 1, validation, test, job.IsSelection ? [] : [.. validationPredictions, .. testPredictions]);
            }
            return new EvalResult(validation.Mse, double.NaN, validationPredictions.Count, evalClock.Elapsed.TotalSeconds);
        }, onEpoch: m =>
        {
            var record = new MetanetEpoch(m.Epoch, m.TrainLoss, validation!, test);
            epochs.Add(record);
            onEpoch?.Invoke(record);
        }, cancel: cancel);
        if (result.Status == TrainStatus.Cancelled) throw new OperationCanceledException(result.Message);
        var diverged = result.Status == TrainStatus.Diverged;
        return new MetanetRunResult(job, epochs, best.Epoch, best.Validation, best.Test, best.Predictions, diverged, diverged ? result.Message : null,
            train.Networks, data.Width, clock.Elapsed.TotalSeconds);
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
