using AsymNet.Experiments.Runs;
using AsymNet.NN.Models;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.Tests.Experiments.Runs;

public class IndependentRunsTests
{
    [Fact]
    public void EveryJobRunsOnceAndResultsMatchASequentialRun()
    {
        var config = ModelFactory.Preset("mlp", "standard") with { Width = 16 };
        float[] Job(int i)
        {
            var model = ModelFactory.Create(config, (ulong)i);
            var x = Tensor.Persistent(4, 784);
            new Rng((ulong)i).FillNormal(x.Span);
            using var scope = TensorScope.Begin();
            var loss = Ops.CrossEntropy(model.Forward(x), [1, 2, 3, 4]);
            loss.Backward();
            return model.Parameters().First().Grad!.ToArray();
        }
        var sequential = Enumerable.Range(0, 6).Select(Job).ToArray();
        var parallel = new float[6][];
        var calls = new int[6];
        IndependentRuns.Run(6, 2, i =>
        {
            Interlocked.Increment(ref calls[i]);
            parallel[i] = Job(i);
        });
        Assert.All(calls, c => Assert.Equal(1, c));
        for (var i = 0; i < 6; i++) Assert.Equal(sequential[i], parallel[i]);
    }

    [Fact]
    public void AFailingJobIsRethrown() =>
        Assert.Throws<InvalidOperationException>(() => IndependentRuns.Run(4, 2, i =>
        {
            if (i == 1) throw new InvalidOperationException("job 1");
        }));
}
