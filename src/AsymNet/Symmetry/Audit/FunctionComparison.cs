using AsymNet.NN.Models;
using AsymNet.Tensors;

namespace AsymNet.Symmetry.Audit;

/// <summary>Compares what two networks compute on a batch (with its graph, for graph models): eval mode, no autograd,
/// each model's mode restored.</summary>
public static class FunctionComparison
{
    /// <summary>The model's outputs (logits) on <paramref name="input"/>, row-major.</summary>
    public static float[] Logits(Model model, ModelInput input)
    {
        var wasTraining = model.Training;
        model.Eval();
        try
        {
            using var scope = TensorScope.Begin();
            using var noGrad = GradMode.NoGrad();
            return input.Through(model).ToArray();
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    /// <summary>max |f(x) − g(x)| over every output of the batch.</summary>
    public static double MaxAbsDifference(Model f, Model g, ModelInput input) => MaxAbsDifference(Logits(f, input), Logits(g, input));

    public static double MaxAbsDifference(float[] x, float[] y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Outputs differ in size: {x.Length} and {y.Length}.");
        var max = 0.0;
        for (var i = 0; i < x.Length; i++) max = Math.Max(max, Math.Abs((double)x[i] - y[i]));
        return max;
    }
}
