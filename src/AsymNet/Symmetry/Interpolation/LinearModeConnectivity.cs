using AsymNet.NN.Models;
using AsymNet.Tensors;

namespace AsymNet.Symmetry.Interpolation;

/// <summary>
/// Evaluates a network on its test data: mean loss and accuracy. The training code's evaluation is passed in, so
/// interpolation does not carry its own evaluation loop.
/// </summary>
public delegate (double Loss, double Accuracy) ModelEvaluator(Model model);

/// <summary>
/// The LMC curve of two trained networks (docs/paper.md#interpolation, docs/paper.md#gnn-lmc): for each λ the
/// interpolated weights are loaded into a work model, BatchNorm statistics are re-estimated when the model has
/// BatchNorm (at every λ, the endpoints included, as the authors' GNN code does), and the test loss and accuracy are
/// taken.
/// </summary>
public static class LinearModeConnectivity
{
    /// <param name="a">θ1 (λ = 0).</param>
    /// <param name="b">θ2 (λ = 1), e.g. already aligned to <paramref name="a"/> by re-basin.</param>
    /// <param name="work">A model of the same architecture that receives the interpolated weights (may be a or b only if
    /// their weights are no longer needed; they are snapshotted first).</param>
    /// <param name="points">P in linspace(0, 1, P); ½ is added when P is even.</param>
    /// <param name="evaluate">Test loss and accuracy of a model in evaluation mode.</param>
    /// <param name="statisticsBatches">Training inputs for BatchNorm re-estimation, enumerated afresh at every λ;
    /// required when the model has BatchNorm, unused otherwise.</param>
    /// <param name="onPoint">Called after each point (progress).</param>
    public static LmcCurve Curve(Model a, Model b, Model work, int points, ModelEvaluator evaluate,
        Func<IEnumerable<ModelInput>>? statisticsBatches = null, Action<LmcPoint>? onPoint = null)
    {
        var hasBatchNorm = BatchNormStatistics.Layers(work).Count > 0;
        if (hasBatchNorm && statisticsBatches is null)
            throw new ArgumentException("This model has BatchNorm: pass training batches to re-estimate its statistics at each λ.");
        var interpolation = new StateInterpolation(a, b);
        var result = new List<LmcPoint>();
        foreach (var lambda in LmcCurve.Lambdas(points))
        {
            interpolation.Apply(work, lambda);
            if (hasBatchNorm) BatchNormStatistics.Reestimate(work, statisticsBatches!());
            work.Eval();
            var (loss, accuracy) = evaluate(work);
            var point = new LmcPoint(lambda, loss, accuracy);
            result.Add(point);
            onPoint?.Invoke(point);
        }
        return new LmcCurve(result);
    }
}
