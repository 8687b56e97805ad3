using AsymNet.Data;
using AsymNet.NN.Models;
using AsymNet.NN.Optim;
using AsymNet.NN.Optim.Schedules;

namespace AsymNet.Experiments.Lmc;

/// <summary>Creates the task a recipe needs (image or graph data), and the recipe's optimizer.</summary>
public static class LmcTasks
{
    public static ILmcTask Create(LmcRecipe recipe, DataPaths paths) =>
        recipe.IsGraph ? new GraphLmcTask(recipe, paths) : new ImageLmcTask(recipe, paths);

    /// <summary>The recipe's optimizer over every trainable parameter (W-Asym fixed entries masked).</summary>
    public static Optimizer Optimizer(LmcRecipe recipe, Model model) => recipe.Optimizer switch
    {
        LmcOptimizer.AdamW => new AdamW(OptimParameter.From(model), recipe.LearningRate, weightDecay: recipe.WeightDecay),
        LmcOptimizer.Adam => new Adam(OptimParameter.From(model), recipe.LearningRate, weightDecay: recipe.WeightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(recipe)),
    };
}
