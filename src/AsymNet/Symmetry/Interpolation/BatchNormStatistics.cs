using AsymNet.NN;
using AsymNet.NN.Layers;
using AsymNet.NN.Models;
using AsymNet.Tensors;

namespace AsymNet.Symmetry.Interpolation;

/// <summary>
/// Re-estimates BatchNorm running statistics for a given set of weights (an interpolated network's statistics are
/// not the interpolation of its endpoints' statistics). As the authors' gnn/interp.py does: every BatchNorm is reset
/// and switched to a cumulative average (momentum null), the model runs forward in training mode without gradients
/// over the given batches, then momentum is restored and the model left in evaluation mode. With a cumulative
/// average, every batch weighs the same, so the result is the mean of the per-batch statistics.
/// </summary>
public static class BatchNormStatistics
{
    /// <summary>The model's BatchNorm layers.</summary>
    public static IReadOnlyList<BatchNorm> Layers(Module model) =>
        model.NamedModules().Select(m => m.Module).OfType<BatchNorm>().ToList();

    /// <summary>
    /// Recomputes the running statistics of every BatchNorm from <paramref name="inputs"/> (model inputs, one batch
    /// each; for graph models with their graph). Returns the number of batches used;
    /// 0 when the model has no BatchNorm, in which case nothing runs.
    /// </summary>
    public static int Reestimate(Module model, IEnumerable<ModelInput> inputs)
    {
        var layers = Layers(model);
        if (layers.Count == 0) return 0;
        var momenta = layers.Select(l => l.Momentum).ToArray();
        var batches = 0;
        try
        {
            foreach (var l in layers)
            {
                l.ResetRunningStats();
                l.Momentum = null;
            }
            model.Train();
            using (GradMode.NoGrad())
            {
                foreach (var x in inputs)
                {
                    using var scope = TensorScope.Begin();
                    x.Through(model);
                    batches++;
                }
            }
        }
        finally
        {
            for (var i = 0; i < layers.Count; i++) layers[i].Momentum = momenta[i];
            model.Eval();
        }
        if (batches == 0) throw new ArgumentException("BatchNorm statistics need at least one batch.");
        return batches;
    }
}
