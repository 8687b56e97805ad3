using AsymNet.NN.Models;
using AsymNet.Symmetry.Audit;
using AsymNet.Symmetry.Matching;
using AsymNet.Tensors;

namespace AsymNet.Tests.Symmetry;

/// <summary>Permutation specs derived from structure, applying them, and Git Re-Basin weight matching.</summary>
public class WeightMatchingTests
{
    private static Dictionary<string, Tensor> State(Model m) => m.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);

    private static int[][] RandomPerms(PermutationSpec spec, Rng rng) => spec.Permutations.Select(g => rng.Permutation(g.Size)).ToArray();

    [Theory]
    [InlineData("mlp", 3)] // the authors' mlp_permutation_spec(3)
    [InlineData("resnet20", 12)] // resnet20_permutation_spec: 9 block-inner + 3 residual streams
    [InlineData("resnet20x2", 12)]
    [InlineData("resnet8", 6)]
    [InlineData("gnn", 3)]
    public void SpecCountsFollowFromStructure(string preset, int count)
    {
        var spec = PermutationSpec.For(ModelFactory.Create(ModelFactory.Preset(preset, "standard"), 1));
        Assert.Equal(count, spec.Permutations.Count);
    }

    [Fact]
    public void MlpSpecIsTheAuthors()
    {
        var spec = PermutationSpec.For(ModelFactory.Create(ModelFactory.Preset("mlp", "standard"), 1));
        Assert.Equal([0, -1], spec.AxesOf("lins.0.weight"));
        Assert.Equal([1, 0], spec.AxesOf("lins.1.weight"));
        Assert.Equal([2, 1], spec.AxesOf("lins.2.weight"));
        Assert.Equal([-1, 2], spec.AxesOf("lins.3.weight"));
        foreach (var i in new[] { 0, 1, 2 })
            foreach (var key in new[] { $"lins.{i}.bias", $"norms.{i}.weight", $"norms.{i}.bias" })
                Assert.Equal([i], spec.AxesOf(key));
        Assert.Null(spec.AxesOf("lins.3.bias"));
        Assert.All(spec.Permutations, g => Assert.Equal(512, g.Size));
    }

    [Fact]
    public void ResNet20SpecSharesResidualStreamsAcrossBlocks()
    {
        var spec = PermutationSpec.For(ModelFactory.Create(ModelFactory.Preset("resnet20", "standard"), 1));
        int P(string key, int axis) => spec.AxesOf(key)![axis];
        var stream1 = P("conv1.weight", 0);
        Assert.Equal(stream1, P("ln1.weight", 0));
        foreach (var b in new[] { 0, 1, 2 })
        {
            Assert.Equal(stream1, P($"layer1.{b}.conv2.weight", 0));
            Assert.Equal(stream1, P($"layer1.{b}.ln2.bias", 0));
            Assert.Equal(stream1, P($"layer1.{b}.conv1.weight", 1));
            var inner = P($"layer1.{b}.conv1.weight", 0);
            Assert.NotEqual(stream1, inner);
            Assert.Equal(inner, P($"layer1.{b}.ln1.weight", 0));
            Assert.Equal(inner, P($"layer1.{b}.conv2.weight", 1));
            Assert.Equal(-1, P($"layer1.{b}.conv2.weight", 2));
        }
        var stream2 = P("layer2.0.shortcut.0.weight", 0);
        Assert.Equal(stream1, P("layer2.0.shortcut.0.weight", 1));
        Assert.Equal(stream2, P("layer2.0.shortcut.1.weight", 0));
        Assert.Equal(stream2, P("layer2.2.conv2.weight", 0));
        Assert.Equal(stream2, P("layer3.0.conv1.weight", 1));
        Assert.Equal([-1, P("layer3.2.ln2.weight", 0)], spec.AxesOf("linear.weight"));
        Assert.Null(spec.AxesOf("linear.bias"));
        Assert.Equal(12, spec.Permutations.Select(g => g.Name).Distinct().Count());
    }

    [Fact]
    public void BatchNormRunningStatisticsArePermutedButNotScored()
    {
        var model = ModelFactory.Create(ModelFactory.Preset("gnn", "standard"), 1);
        var spec = PermutationSpec.For(model);
        Assert.Equal([0], spec.AxesOf("convs.0.mlp.1.running_mean"));
        Assert.Equal([1], spec.AxesOf("convs.1.mlp.1.running_var"));
        Assert.DoesNotContain("convs.0.mlp.1.running_var", spec.ObjectiveKeys);
        Assert.Contains("convs.0.mlp.1.weight", spec.ObjectiveKeys);
        Assert.Null(spec.AxesOf("convs.0.mlp.1.num_batches_tracked"));
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("resnet20")]
    [InlineData("gnn")]
    public void ApplyingThenInvertingIsTheIdentity(string preset)
    {
        var model = ModelFactory.Create(ModelFactory.Preset(preset, "standard"), 3);
        var spec = PermutationSpec.For(model);
        var state = State(model);
        var perms = RandomPerms(spec, new Rng(4));
        var permuted = spec.Apply(state, perms);
        Assert.Contains(spec.PermutedKeys, k => !permuted[k].Span.SequenceEqual(state[k].Span));
        var back = spec.Apply(permuted, perms.Select(PermutationSpec.Inverse).ToArray());
        foreach (var (key, t) in state) Assert.True(t.Span.SequenceEqual(back[key].Span), key);
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("resnet20")]
    public void MatchingRecoversAHiddenPermutation(string preset)
    {
        // B = A with its units shuffled: the best objective is ⟨A, A⟩, reached only by undoing the shuffle.
        var config = preset == "mlp" ? SmallMlp(NormKind.Layer) : ModelFactory.Preset(preset, "standard");
        var model = ModelFactory.Create(config, 5);
        var spec = PermutationSpec.For(model);
        var a = State(model);
        var b = spec.Apply(a, RandomPerms(spec, new Rng(6)));
        var result = WeightMatching.Match(spec, a, b, new Rng(7));
        var aligned = spec.Apply(b, result.Permutations);
        foreach (var (key, t) in a) Assert.True(t.Span.SequenceEqual(aligned[key].Span), key);
        Assert.True(result.Converged);
        Assert.True(result.ObjectiveAfter > result.ObjectiveBefore);
        Assert.Equal(WeightMatching.Objective(spec, a, a, spec.Identity()), result.ObjectiveAfter, 1e-9 * result.ObjectiveAfter);
        Assert.All(result.Changes, c => Assert.True(c.UnitsMoved > c.Size / 2));
    }

    [Theory]
    [InlineData("resnet20")]
    [InlineData("resnet20x2")]
    public void MatchingIndependentNetworksIncreasesTheObjective(string preset)
    {
        var config = ModelFactory.Preset(preset, "standard");
        var (ma, mb) = (ModelFactory.Create(config, 10), ModelFactory.Create(config, 11));
        var spec = PermutationSpec.For(ma);
        var (a, b) = (State(ma), State(mb));
        var result = WeightMatching.Match(spec, a, b, new Rng(1));
        Assert.True(result.ObjectiveAfter > result.ObjectiveBefore, $"{result.ObjectiveAfter} ≤ {result.ObjectiveBefore}");
        Assert.Equal(WeightMatching.Objective(spec, a, b, result.Permutations), result.ObjectiveAfter);
        Assert.True(result.Sweeps >= 2);
        // Same seed, same result.
        Assert.Equal(result.Permutations, WeightMatching.Match(spec, a, b, new Rng(1)).Permutations);
    }

    [Fact]
    public void AlignedMlpWithoutNormComputesTheSameFunction() => AssertAlignmentKeepsFunction(SmallMlp(NormKind.None), 16);

    /// <summary>B aligned to A (independent inits) loads into a model that computes B's function, and the matching
    /// objective is at least the identity's.</summary>
    internal static void AssertAlignmentKeepsFunction(ModelConfig config, int batch)
    {
        var (ma, mb) = (ModelFactory.Create(config, 20), ModelFactory.Create(config, 21));
        var (state, result) = WeightMatching.Align(ma, mb, new Rng(2));
        Assert.True(result.ObjectiveAfter >= result.ObjectiveBefore, $"{result.ObjectiveAfter} < {result.ObjectiveBefore}");
        Assert.True(result.Changes.Sum(c => c.UnitsMoved) > 0);
        var aligned = ModelFactory.Create(config, 99);
        aligned.LoadStateDict(state);
        var x = Tensor.Persistent([batch, .. config.InputShape]);
        new Rng(3).FillNormal(x.Span);
        var (yb, ya) = (FunctionComparison.Logits(mb, x), FunctionComparison.Logits(aligned, x));
        var maxDelta = FunctionComparison.MaxAbsDifference(yb, ya);
        Assert.True(maxDelta <= 1e-4, $"max |Δlogit| = {maxDelta}");
        Assert.True(yb.Max(Math.Abs) > 1e-2, "Outputs are too small for the comparison to mean anything.");
    }

    [Fact]
    public void RejectsMismatchedStateDictsAndPermutations()
    {
        var model = ModelFactory.Create(SmallMlp(NormKind.Layer), 1);
        var spec = PermutationSpec.For(model);
        var state = State(model);
        var other = State(ModelFactory.Create(SmallMlp(NormKind.Layer) with { Width = 24 }, 1));
        Assert.Contains("lins.0.weight", Assert.Throws<ArgumentException>(() => WeightMatching.Match(spec, state, other, new Rng(1))).Message);
        state.Remove("norms.1.bias");
        Assert.Contains("norms.1.bias", Assert.Throws<ArgumentException>(() => spec.Apply(state, spec.Identity())).Message);
        var bad = spec.Identity();
        bad[1][0] = 1;
        Assert.Throws<ArgumentException>(() => spec.CheckPermutations(bad));
        Assert.Throws<ArgumentException>(() => spec.CheckPermutations(bad[..2]));
    }

    [Fact]
    public void GatherMovesAnAxisToTheFrontAndPermutesOthers()
    {
        int[] shape = [3, 4, 2, 5];
        var src = Enumerable.Range(0, 120).Select(i => (float)i).ToArray();
        var rng = new Rng(8);
        int[]?[] perms = [rng.Permutation(3), null, rng.Permutation(2), null];
        var dst = new float[120];
        AxisGather.Gather(src, shape, 1, perms, dst);
        var k = 0;
        for (var j = 0; j < 4; j++)
            for (var i = 0; i < 3; i++)
                for (var h = 0; h < 2; h++)
                    for (var w = 0; w < 5; w++)
                        Assert.Equal(src[((perms[0]![i] * 4 + j) * 2 + perms[2]![h]) * 5 + w], dst[k++]);
    }

    internal static ModelConfig SmallMlp(NormKind norm) =>
        ModelFactory.Preset("mlp", "standard") with { InputShape = [40], Width = 32, Norm = norm };
}
