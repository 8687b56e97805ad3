using AsymNet.Experiments.Lmc;
using AsymNet.NN.Models;
using AsymNet.NN.Optim;
using AsymNet.NN.Training;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Zoo;

/// <summary>Measured seconds per training step of a zoo network, for the plan's estimate (no data needed: the plan of a
/// paper-scale zoo must work where CIFAR-10 is not installed).</summary>
public static class ZooTiming
{
    /// <summary>The median of the later half of up to 20 steps (about two seconds) on a random batch of the data's shape, lr 0.</summary>
    public static double StepSeconds(ZooRecipe recipe, DatasetShape shape, Variant variant)
    {
        var model = ModelFactory.Create(ZooNetworks.Config(recipe, shape, variant), 0);
        var trainer = new Trainer(model, new AdamW(OptimParameter.From(model), 0), new TrainOptions { LearningRate = 0 });
        var images = Tensor.Persistent([recipe.BatchSize, .. shape.InputShape]);
        var rng = new Rng(0);
        rng.FillNormal(images.Span);
        var labels = Enumerable.Range(0, recipe.BatchSize).Select(_ => rng.NextInt(shape.Classes)).ToArray();
        return LmcStatistics.TimeRepeated(() => trainer.TrainStep(images, labels));
    }

    /// <summary>Training seconds of <paramref name="jobs"/> (side by side as the threading policy runs them), plus
    /// <paramref name="extraSteps"/> training steps' worth of other work per job (MLI's curves).</summary>
    public static double Estimate(ZooRecipe recipe, DatasetShape shape, int stepsPerEpoch, IReadOnlyList<ZooJob> jobs, double extraSteps = 0)
    {
        if (jobs.Count == 0) return 0;
        var step = jobs.Select(j => j.Variant).Distinct().ToDictionary(v => v, v => StepSeconds(recipe, shape, v));
        var seconds = jobs.Sum(j => step[j.Variant] * (stepsPerEpoch * ZooHyperparameters.Row(recipe.Seed, j.Index, recipe.Ranges).Epochs + extraSteps));
        return seconds / Math.Min(Runs.IndependentRuns.PolicyParallelism, jobs.Count);
    }
}
