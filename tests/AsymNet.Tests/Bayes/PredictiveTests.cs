using AsymNet.Bayes;
using AsymNet.Data;
using AsymNet.NN.Models;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.Tests.Bayes;

public class PredictiveTests
{
    /// <summary>Returns the k-th scripted logits on its k-th call: a stand-in for successive posterior samples.</summary>
    private sealed class Scripted(float[][] logits, int classes) : Model(new ModelConfig { Classes = classes })
    {
        private int _call;

        public override Tensor Forward(Tensor x)
        {
            var l = logits[_call++ % logits.Length];
            var rows = x.Shape[0];
            return Tensor.FromArray(Enumerable.Range(0, rows).SelectMany(_ => l).ToArray(), rows, classes);
        }
    }

    [Fact]
    public void PredictiveIsTheMeanOfTheSampleSoftmaxes()
    {
        float[][] samples = [[2f, 0f, -1f], [-3f, 1f, 0.5f], [0f, 0f, 4f]];
        var data = new ImageDataset("toy", new byte[2 * 4], [2, 1], 1, 2, 2, 3, NormalizationStats.Mnist);
        using var loader = new ImageLoader(data, LoaderOptions.Eval(2), new Rng(0));
        var result = Predictive.Evaluate(new Scripted(samples, 3), loader, 3, samples: 3)!;
        var expected = new double[3];
        foreach (var s in samples)
        {
            var sm = Ops.Softmax(Tensor.FromArray(s, 1, 3), 1).ToArray();
            for (var c = 0; c < 3; c++) expected[c] += sm[c] / 3.0;
        }
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(expected[c], result.Probabilities[c], 6);
            Assert.Equal(expected[c], result.Probabilities[3 + c], 6);
        }
        Assert.Equal([2, 1], result.Labels);
        var m = result.Metrics();
        Assert.Equal(-(Math.Log(expected[2]) + Math.Log(expected[1])) / 2, m.Nll, 5);
    }
}
