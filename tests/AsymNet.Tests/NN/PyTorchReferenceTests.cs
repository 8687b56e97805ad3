using AsymNet.NN.Models;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;
using AsymNet.Tests.Support;
using static AsymNet.Tests.Support.ReferenceJson;

namespace AsymNet.Tests.NN;

/// <summary>
/// Forward outputs and parameter gradients of the cross-entropy loss match PyTorch 1.13 running the authors' modules
/// (tools/reference/models_reference.py) on identical weights and inputs.
/// </summary>
public class PyTorchReferenceTests
{
    [Theory]
    [InlineData("mlp-standard")]
    [InlineData("mlp-w")]
    [InlineData("mlp-sigma")]
    [InlineData("resnet20-standard")]
    [InlineData("resnet8-w")]
    [InlineData("resnet8-sigma")]
    [InlineData("gnn-w")]
    public void MatchesPyTorch(string name)
    {
        var root = ReferenceJson.Load("models", name, "models_reference.py");
        var seed = root.GetProperty("seed").GetUInt64();
        var model = ModelFactory.Create(ModelFactory.Preset(root.GetProperty("preset").GetString()!, root.GetProperty("variant").GetString()!), 1);

        var keys = root.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).ToList();
        Assert.Equal(keys, model.StateDict().Select(kv => kv.Key).ToList());
        var state = model.StateDict().ToDictionary(kv => kv.Key, kv => Tensor.FromArray(ReferenceFill.Values(seed, kv.Key, kv.Value.Shape), kv.Value.Shape));
        model.LoadStateDict(state);

        var inputShape = Ints(root.GetProperty("inputShape"));
        var features = Tensor.FromArray(ReferenceFill.Uniform(seed, "input", ShapeUtil.Numel(inputShape), 0.0, 1.0), inputShape);
        var input = root.TryGetProperty("graph", out var graph)
            ? new ModelInput(features, new CsrAdjacency(Ints(graph.GetProperty("rowPointers")), Ints(graph.GetProperty("columnIndices"))))
            : new ModelInput(features);
        var targets = Ints(root.GetProperty("targets"));

        model.Train();
        model.ZeroGrad();
        using (TensorScope.Begin())
        {
            var logits = input.Through(model);
            AssertClose(Floats(root.GetProperty("logits")), logits.ToArray(), 1e-4, "logits");
            var loss = Ops.CrossEntropy(logits, targets);
            Assert.Equal(root.GetProperty("loss").GetDouble(), loss.Item(), 1e-4);
            loss.Backward();
        }

        var parameters = model.NamedParameters().ToDictionary(p => p.Name, p => p.Value);
        foreach (var g in root.GetProperty("grads").EnumerateObject())
        {
            var grad = parameters[g.Name].Grad?.ToArray() ?? throw new Xunit.Sdk.XunitException($"No gradient for {g.Name}.");
            var expected = Floats(g.Value.GetProperty("values"));
            var actual = g.Value.TryGetProperty("indices", out var idx) ? Ints(idx).Select(i => grad[i]).ToArray() : grad;
            var scale = Math.Max(expected.Max(Math.Abs), 1e-3f);
            AssertClose(expected, actual, 1e-4 * scale, $"grad {g.Name}");
            var norm = Math.Sqrt(grad.Sum(v => (double)v * v));
            Assert.True(Math.Abs(norm - g.Value.GetProperty("norm").GetDouble()) <= 1e-4 * Math.Max(norm, 1e-3),
                $"grad {g.Name}: norm {norm}, PyTorch {g.Value.GetProperty("norm").GetDouble()}");
        }

        if (root.TryGetProperty("buffersAfterForward", out var buffers))
        {
            var own = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
            foreach (var b in buffers.EnumerateObject())
                AssertClose(Floats(b.Value), own[b.Name].ToArray(), 1e-5, b.Name);
        }
    }
}
