using AsymNet.NN.Models;
using AsymNet.Symmetry.Matching;
using AsymNet.Tensors;

namespace AsymNet.Tests.Symmetry;

/// <summary>
/// Weight matching's output is the same function as its input: B aligned to an independently initialised A
/// computes B's logits (max |Δ| ≤ 1e-4) for the paper's standard models, with the objective at least the identity's.
/// </summary>
public class AlignmentFunctionTests
{
    [Fact]
    public void StandardLmcMlp() => WeightMatchingTests.AssertAlignmentKeepsFunction(ModelFactory.Preset("mlp", "standard"), 8);

    [Theory]
    [InlineData("resnet20")]
    [InlineData("resnet20x2")]
    public void ResNet20WithGroupNorm(string preset) =>
        // 8×8 inputs keep the forward cheap; the permutation structure does not depend on the spatial size.
        WeightMatchingTests.AssertAlignmentKeepsFunction(ModelFactory.Preset(preset, "standard") with { InputShape = [3, 8, 8] }, 4);
}
