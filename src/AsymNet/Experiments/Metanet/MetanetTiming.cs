using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Lmc;
using AsymNet.Experiments.Runs;
using AsymNet.Experiments.Zoo;
using AsymNet.NN.Models;
using AsymNet.NN.Optim;
using AsymNet.NN.Training;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Metanet;

/// <summary>
/// The plan of <c>asym metanet</c> with a time estimate from a few measured training steps of each metanet on random
/// inputs of the zoo's width, so that it works before the zoo is trained (asym paper plans every step first).
/// </summary>
public static class MetanetTiming
{
    /// <summary>Every job of the experiment not finished yet, the seeded runs that the trials have not unlocked
    /// included (their rate is the grid's first, which does not change their time), and the finished count.</summary>
    public static (IReadOnlyList<MetanetJob> Pending, int Finished) Plan(MetanetExperiment experiment, Shard shard)
    {
        var r = experiment.Recipe;
        var finished = JobEngine.Plan(experiment, shard).Finished.Select(f => f.Job.Id).ToHashSet();
        var pairs = r.Metanets.SelectMany(m => r.Variants.Select(v => (Metanet: m, Variant: v))).ToList();
        var trials = r.SelectsLearningRate ? r.LearningRates.SelectMany(lr => pairs.Select(p => new MetanetJob(p.Metanet, p.Variant, lr, 0, true))) : [];
        var runs = Enumerable.Range(0, r.Runs).SelectMany(run => pairs.Select(p => new MetanetJob(p.Metanet, p.Variant, r.LearningRates[0], run, false)));
        var all = trials.Concat(runs).Where((_, i) => shard.Owns(i)).ToList();
        return (all.Where(j => !finished.Contains(j.Id)).ToList(), finished.Count);
    }

    /// <summary>Seconds of <paramref name="jobs"/> (side by side as the threading policy runs them); one measurement per
    /// metanet and variant.</summary>
    public static double Estimate(MetanetRecipe recipe, IReadOnlyDictionary<string, MetanetInput> inputs, IReadOnlyList<MetanetJob> jobs)
    {
        if (jobs.Count == 0) return 0;
        var perJob = jobs.Select(j => (j.Metanet, j.Variant)).Distinct().ToDictionary(k => k, k => JobSeconds(recipe, k.Metanet, inputs[k.Variant]));
        return jobs.Sum(j => perJob[(j.Metanet, j.Variant)]) / Math.Min(IndependentRuns.PolicyParallelism, jobs.Count);
    }

    private static double JobSeconds(MetanetRecipe recipe, MetanetKind metanet, MetanetInput input)
    {
        var width = metanet == MetanetKind.StatNN ? StatNNFeatures.PerTensor * input.Tensors : input.Width;
        var train = Math.Max(1, (int)Math.Round(input.Networks * recipe.TrainFraction, MidpointRounding.ToEven));
        var batch = Math.Min(recipe.BatchSize, train);
        var model = ModelFactory.Create(MetanetPresets.Config(metanet, width, input.Tensors), 0);
        var trainer = new Trainer(model, new AdamW(OptimParameter.From(model), 0), new TrainOptions { LearningRate = 0 });
        var networks = new NetworkBatch(Tensor.Persistent(batch, width), Tensor.Persistent(batch, 1));
        new Rng(0).FillNormal(networks.Inputs.Span);
        var step = LmcStatistics.TimeRepeated(() => trainer.Step(AccuracyRegression.Instance, networks), maxRuns: 6, budgetSeconds: 0.5);
        // Scoring the validation and test networks after every epoch: about a forward pass each, a third of a step's time.
        var steps = Math.Ceiling(train / (double)batch) + (input.Networks - train) / (3.0 * batch);
        return recipe.Epochs * steps * step;
    }
}
