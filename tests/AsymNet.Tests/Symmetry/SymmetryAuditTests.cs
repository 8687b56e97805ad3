using AsymNet.NN.Layers;
using AsymNet.NN.Models;
using AsymNet.Symmetry.Audit;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.Tests.Symmetry;

/// <summary>The paper's claims about symmetries, as tests (issue 3 item 7).</summary>
public class SymmetryAuditTests
{
    private static AuditReport Audit(string preset, string variant, SymmetryTransform transform, int batch = 6)
    {
        var model = ModelFactory.Create(ModelFactory.Preset(preset, variant, architectureSeed: 5), initSeed: 11);
        var input = AuditInputs.For(model, batch, new Rng(21));
        return SymmetryAudit.Run(model, input, transform, new Rng(31));
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("bnn-mlp8")]
    [InlineData("resnet8")]
    [InlineData("resnet20")]
    [InlineData("gnn")]
    public void PermutationsPreserveStandardNetworks(string preset)
    {
        var r = Audit(preset, "standard", SymmetryTransform.Permutation);
        Assert.True(r.Applicable);
        Assert.True(r.FunctionPreserved, $"relative change {r.RelativeChange:g3}");
    }

    /// <summary>The σ-Asym GNN's FiGLU has F std 0.01/√256, so its gate is ≈ 0.5 and the network nearly linear
    /// (docs/paper.md#figlu): permutations change it only weakly, though far above float rounding.</summary>
    [Theory]
    [InlineData("mlp", "w", 1e-2)]
    [InlineData("mlp", "sigma", 1e-2)]
    [InlineData("resnet8", "w", 1e-2)]
    [InlineData("resnet8", "sigma", 1e-2)]
    [InlineData("resnet20", "w", 1e-2)]
    [InlineData("gnn", "w", 1e-2)]
    [InlineData("gnn", "sigma", 1e-3)]
    public void PermutationsChangeAsymmetricNetworks(string preset, string variant, double minRelativeChange)
    {
        var r = Audit(preset, variant, SymmetryTransform.Permutation);
        Assert.True(r.RelativeChange > minRelativeChange, $"relative change only {r.RelativeChange:g3}");
    }

    [Theory]
    [InlineData("bnn-mlp8")]
    [InlineData("resnet8")]
    public void PositiveRescalingPreservesStandardReluNetworks(string preset)
    {
        var r = Audit(preset, "standard", SymmetryTransform.Rescaling);
        Assert.True(r.Applicable);
        Assert.True(r.FunctionPreserved, $"relative change {r.RelativeChange:g3}");
    }

    [Theory]
    [InlineData("bnn-mlp8")]
    [InlineData("resnet8")]
    public void PositiveRescalingChangesWAsymReluNetworks(string preset)
    {
        var r = Audit(preset, "w", SymmetryTransform.Rescaling);
        Assert.True(r.RelativeChange > 1e-2, $"relative change only {r.RelativeChange:g3}");
    }

    [Fact]
    public void RescalingDoesNotApplyToGeluOrFiGluNetworks()
    {
        Assert.False(Audit("mlp", "standard", SymmetryTransform.Rescaling).Applicable);
        Assert.False(Audit("resnet8", "sigma", SymmetryTransform.Rescaling).Applicable);
    }

    [Fact]
    public void AuditRestoresTheModel()
    {
        var model = ModelFactory.Create(ModelFactory.Preset("mlp", "w"), 3);
        var before = model.StateDict().Select(kv => kv.Value.ToArray()).ToList();
        SymmetryAudit.RunAll(model, AuditInputs.For(model, 2, new Rng(1)), 9);
        Assert.Equal(before, model.StateDict().Select(kv => kv.Value.ToArray()).ToList());
        Assert.True(model.Training);
    }

    /// <summary>Prop. 2: FiGLU is not equivariant to permutations or positive diagonal scalings, unlike ReLU.</summary>
    [Fact]
    public void FiGluHasNoPermutationOrDiagonalEquivariance()
    {
        const int d = 16;
        var rng = new Rng(4);
        var figlu = new FiGLU(d, FiGluLayout.Dense, 1.0, architectureSeed: 3, layerName: "f");
        var x = Tensor.Persistent(8, d);
        rng.FillNormal(x.Span);
        var perm = rng.Permutation(d);
        var diag = Enumerable.Range(0, d).Select(_ => MathF.Exp(rng.Uniform(-1f, 1f))).ToArray();

        using var _ = GradMode.NoGrad();
        Func<Tensor, Tensor> relu = Ops.Relu;
        Assert.True(EquivarianceGap(relu, x, t => Permuted(t, perm)) < 1e-6);
        Assert.True(EquivarianceGap(relu, x, t => Scaled(t, diag)) < 1e-5);
        Assert.True(EquivarianceGap(figlu.Forward, x, t => Permuted(t, perm)) > 0.05);
        Assert.True(EquivarianceGap(figlu.Forward, x, t => Scaled(t, diag)) > 0.05);
    }

    private static double EquivarianceGap(Func<Tensor, Tensor> f, Tensor x, Func<Tensor, Tensor> g)
    {
        using var scope = TensorScope.Begin();
        var a = f(g(x)).ToArray();
        var b = g(f(x)).ToArray();
        return a.Zip(b, (u, v) => Math.Abs(u - v)).Max();
    }

    private static Tensor Permuted(Tensor x, int[] perm)
    {
        var y = x.Clone();
        AxisTransform.Permute(y, 1, perm);
        return y;
    }

    private static Tensor Scaled(Tensor x, float[] diag)
    {
        var y = x.Clone();
        AxisTransform.Scale(y, 1, diag);
        return y;
    }
}
