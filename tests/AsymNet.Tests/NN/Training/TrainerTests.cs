using AsymNet.Data;
using AsymNet.NN.Models;
using AsymNet.NN.Optim;
using AsymNet.NN.Training;
using AsymNet.Tensors;

namespace AsymNet.Tests.NN.Training;

public sealed class TrainerTests
{
    private static ModelConfig SmallMlp(string variant = "standard") =>
        ModelFactory.Preset("mlp", variant) with { Norm = NormKind.None, Width = 320 };

    private static (Trainer, ImageLoader Train, ImageLoader Test) Setup(double lr, int epochs = 2, string variant = "standard")
    {
        var model = ModelFactory.Create(SmallMlp(variant), 1);
        var trainer = new Trainer(model, new Adam(OptimParameter.From(model), lr), new TrainOptions { Epochs = epochs, LearningRate = lr });
        var train = new ImageLoader(SyntheticImages.Create(512, 1), new LoaderOptions { BatchSize = 32 }, new Rng(2));
        var test = new ImageLoader(SyntheticImages.Create(200, 9), LoaderOptions.Eval(64), new Rng(3));
        return (trainer, train, test);
    }

    [Fact]
    public void LearnsASeparableTaskAndReportsEveryEpoch()
    {
        var (trainer, train, test) = Setup(3e-3, variant: "w");
        using var _ = train;
        using var __ = test;
        var seen = new List<EpochMetrics>();
        var reports = 0;
        var result = trainer.Fit(train, test, new InlineProgress(_ => reports++), seen.Add);
        Assert.Equal(TrainStatus.Completed, result.Status);
        Assert.Equal(2, result.Epochs.Count);
        Assert.Equal(result.Epochs, seen);
        Assert.Equal(2 * (16 + 4), reports); // 16 train + 4 eval batches per epoch
        Assert.Equal(32, result.Steps);
        var last = result.Last!;
        Assert.Equal(512, last.Samples);
        Assert.True(last.TestAccuracy > 0.9, $"test accuracy {last.TestAccuracy}");
        Assert.True(last.TrainLoss < result.Epochs[0].TrainLoss);
        Assert.True(last.SamplesPerSecond > 0);
        // The reported test loss is what a separate evaluation computes.
        var eval = Trainer.Evaluate(trainer.Model, test)!;
        Assert.Equal(last.TestLoss, eval.Loss, 12);
        Assert.Equal(last.TestAccuracy, eval.Accuracy);
        Assert.True(trainer.Model.Training);
    }

    [Fact]
    public void AHugeLearningRateEndsAsDivergedNotAsACrash()
    {
        var (trainer, train, test) = Setup(1e12, epochs: 3);
        using var _ = train;
        using var __ = test;
        var result = trainer.Fit(train, test);
        Assert.Equal(TrainStatus.Diverged, result.Status);
        Assert.Contains("loss became", result.Message);
        Assert.True(result.Epochs.Count < 3);
    }

    [Fact]
    public void StopWhenEndsTrainingAfterTheFirstEpochThatMeetsIt()
    {
        var model = ModelFactory.Create(SmallMlp(), 1);
        var options = new TrainOptions { Epochs = 6, LearningRate = 3e-3, StopWhen = m => m.TrainAccuracy >= 0.9 };
        var trainer = new Trainer(model, new Adam(OptimParameter.From(model), 3e-3), options);
        using var train = new ImageLoader(SyntheticImages.Create(512, 1), new LoaderOptions { BatchSize = 32 }, new Rng(2));
        var result = trainer.Fit(train);
        Assert.Equal(TrainStatus.Completed, result.Status);
        Assert.InRange(result.Epochs.Count, 1, 5);
        Assert.True(result.Last!.TrainAccuracy >= 0.9);
        Assert.All(result.Epochs.SkipLast(1), m => Assert.True(m.TrainAccuracy < 0.9));
        Assert.Contains($"stopped after epoch {result.Epochs.Count}", result.Message);
    }

    [Fact]
    public void CancellationStopsTheRun()
    {
        var (trainer, train, _) = Setup(1e-3);
        using var __ = train;
        using var cancel = new CancellationTokenSource();
        var result = trainer.Fit(train, progress: new InlineProgress(p => { if (p.Step == 3) cancel.Cancel(); }), cancel: cancel.Token);
        Assert.Equal(TrainStatus.Cancelled, result.Status);
        Assert.Equal(3, result.Steps);
    }

    [Fact]
    public void TheScheduleSetsTheRateOfEveryStep()
    {
        var model = ModelFactory.Create(SmallMlp(), 1);
        var opt = new Sgd(OptimParameter.From(model), 0.1);
        var options = new TrainOptions { Epochs = 2, LearningRate = 0.1, Schedule = new AsymNet.NN.Optim.Schedules.LinearWarmup(4, PerStep: false) };
        using var train = new ImageLoader(SyntheticImages.Create(64, 1), new LoaderOptions { BatchSize = 32 }, new Rng(2));
        var result = new Trainer(model, opt, options).Fit(train);
        Assert.Equal([0.025, 0.05], result.Epochs.Select(e => Math.Round(e.LearningRate, 12)));
    }

    /// <summary>The extra loss term reaches the gradient (here L2 on every weight: the same step as SGD with the
    /// matching weight decay), the reported loss stays the data term, and a non-finite extra term is divergence.</summary>
    [Fact]
    public void ExtraLossJoinsTheBackwardPassOnly()
    {
        var images = SyntheticImages.Create(32, 1);
        using var loader = new ImageLoader(images, new LoaderOptions { BatchSize = 32, Prefetch = false }, new Rng(2));
        var batch = loader.Epoch().First();
        float[] StepWith(double weightDecay, Func<Model, Func<AsymNet.Tensors.Tensor>?> extra, out float loss)
        {
            var model = ModelFactory.Create(SmallMlp(), 1);
            var trainer = new Trainer(model, new Sgd(OptimParameter.From(model), 0.1, weightDecay: weightDecay), new TrainOptions { ExtraLoss = extra(model) });
            (loss, _) = trainer.TrainStep(batch.Images, batch.Labels);
            return model.Parameters().SelectMany(p => p.ToArray()).ToArray();
        }
        var decayed = StepWith(0.02, _ => null, out var plainLoss);
        var viaExtra = StepWith(0, m => () =>
        {
            AsymNet.Tensors.Tensor? total = null;
            foreach (var p in m.Parameters())
            {
                var sq = AsymNet.Tensors.Ops.Ops.Sum(AsymNet.Tensors.Ops.Ops.Mul(p, p));
                total = total is null ? sq : AsymNet.Tensors.Ops.Ops.Add(total, sq);
            }
            return AsymNet.Tensors.Ops.Ops.MulScalar(total!, 0.01f);
        }, out var extraLoss);
        Assert.Equal(plainLoss, extraLoss);
        for (var i = 0; i < decayed.Length; i++) Assert.Equal(decayed[i], viaExtra[i], 5);

        var nan = StepWith(0, _ => () => AsymNet.Tensors.Tensor.Scalar(float.NaN), out var nanLoss);
        Assert.True(float.IsNaN(nanLoss));
        Assert.Equal(ModelFactory.Create(SmallMlp(), 1).Parameters().SelectMany(p => p.ToArray()), nan);
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
