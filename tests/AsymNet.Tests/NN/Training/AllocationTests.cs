using AsymNet.Data;
using AsymNet.NN.Models;
using AsymNet.NN.Optim;
using AsymNet.NN.Training;
using AsymNet.Tensors;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.NN.Training;

/// <summary>Issue 2: a steady-state training step allocates (almost) nothing; the pool and scopes recycle everything.</summary>
[Collection(AllocationMeasurement.Name)]
public sealed class AllocationTests
{
    public static TheoryData<string> Variants() => ["standard", "w", "sigma"];

    [Theory]
    [MemberData(nameof(Variants))]
    public void SteadyStateMlpStepAllocatesAtMost64KB(string variant)
    {
        // The paper's MLP shape (784→512→512→512→10, batch 64).
        var config = ModelFactory.Preset("mlp", variant, DatasetShape.FashionMnist);
        var model = ModelFactory.Create(config, 1);
        var trainer = new Trainer(model, new AdamW(OptimParameter.From(model), 1e-3, weightDecay: 0.03), new TrainOptions());
        using var loader = new ImageLoader(SyntheticImages.Create(64 * 8, 1), new LoaderOptions { BatchSize = 64, Prefetch = false }, new Rng(1));
        var batches = loader.Epoch().Take(8).Select(b => (b.Images.Clone(), (int[])b.Labels.Clone())).ToArray();
        for (var i = 0; i < 3; i++) trainer.TrainStep(batches[i].Item1, batches[i].Item2); // warm-up: pool, optimizer state
        const int steps = 5;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 3; i < 3 + steps; i++) trainer.TrainStep(batches[i].Item1, batches[i].Item2);
        var perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / steps;
        Assert.True(perStep <= 64 * 1024, $"{variant}: {perStep:N0} bytes allocated per steady-state step");
    }
}
