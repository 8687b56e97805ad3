using AsymNet.Data;
using AsymNet.NN.Models;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.Bayes;

/// <summary>
/// The posterior predictive on a test set by Monte Carlo: every image goes through the network S times (a fresh
/// posterior sample each pass) and p̄ = (1/S) Σ_s softmax(logits_s), its log taken as logsumexp of the S log-softmax
/// outputs minus log S (the paper's code). Runs in the model's eval mode (BatchNorm's running statistics), noise on.
/// </summary>
public static class Predictive
{
    public const int PaperSamples = 25;

    /// <summary>p̄ per image ([N·C], row-major), the labels and the indices of the images, in loader order; null when cancelled.</summary>
    public static PredictiveResult? Evaluate(Model model, ImageLoader loader, int classes, int samples = PaperSamples, CancellationToken cancel = default)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "At least one posterior sample is needed.");
        var wasTraining = model.Training;
        model.Eval();
        var probabilities = new List<double>();
        var labels = new List<int>();
        var indices = new List<int>();
        try
        {
            using var noGrad = GradMode.NoGrad();
            using var scope = new TensorScope();
            foreach (var batch in loader.Epoch())
            {
                if (cancel.IsCancellationRequested) return null;
                var logs = new double[samples][];
                scope.Enter();
                try
                {
                    for (var s = 0; s < samples; s++)
                    {
                        var logp = Ops.LogSoftmax(model.Forward(batch.Images), 1);
                        if (logp.Shape[1] != classes) throw new InvalidOperationException($"The model has {logp.Shape[1]} outputs, the data {classes} classes.");
                        logs[s] = Array.ConvertAll(logp.ToArray(), v => (double)v);
                    }
                }
                finally
                {
                    scope.Dispose();
                }
                for (var e = 0; e < batch.Count * classes; e++)
                {
                    var max = double.NegativeInfinity;
                    for (var s = 0; s < samples; s++) max = Math.Max(max, logs[s][e]);
                    double sum = 0;
                    for (var s = 0; s < samples; s++) sum += Math.Exp(logs[s][e] - max);
                    probabilities.Add(Math.Exp(max + Math.Log(sum) - Math.Log(samples)));
                }
                labels.AddRange(batch.Labels);
                indices.AddRange(batch.Indices);
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
        return new PredictiveResult([.. probabilities], [.. labels], [.. indices], classes);
    }
}

/// <summary>The predictive mean probabilities of a test set ([N·C] row-major) with labels and dataset indices.</summary>
public sealed record PredictiveResult(double[] Probabilities, int[] Labels, int[] Indices, int Classes)
{
    public PredictiveMetrics Metrics() => PredictiveMetrics.From(Probabilities, Classes, Labels);
}
