using AsymNet.Tensors;
using AsymNet.Tests.Support;
using O = AsymNet.Tensors.Ops.Ops;

namespace AsymNet.Tests.Tensors;

/// <summary>
/// Elementwise ops: every length 0..65 (past two 512-bit vectors, so every vector width and every tail length)
/// against a float64 reference for the values and for the backward (the analytic derivative), gradient checks on
/// odd sizes, and broadcasting.
/// </summary>
public class ElementwiseTests
{
    /// <summary>An elementwise op, its float64 value and derivative, and the interval its inputs are drawn from.</summary>
    private sealed record Unary(Func<Tensor, Tensor> Op, Func<double, double> F, Func<double, double> D, float Lo, float Hi);

    private static readonly Dictionary<string, Unary> Unaries = new()
    {
        ["exp"] = new(O.Exp, Math.Exp, Math.Exp, -10, 10),
        ["log"] = new(O.Log, Math.Log, x => 1 / x, 0.05f, 20),
        ["sqrt"] = new(O.Sqrt, Math.Sqrt, x => 0.5 / Math.Sqrt(x), 0.05f, 20),
        ["pow2"] = new(x => O.Pow(x, 2f), x => x * x, x => 2 * x, -3, 3),
        ["pow3"] = new(x => O.Pow(x, 3f), x => x * x * x, x => 3 * x * x, -3, 3),
        ["pow0"] = new(x => O.Pow(x, 0f), _ => 1, _ => 0, -3, 3),
        ["pow1.5"] = new(x => O.Pow(x, 1.5f), x => Math.Pow(x, 1.5), x => 1.5 * Math.Sqrt(x), 0.05f, 5),
        ["pow-0.5"] = new(x => O.Pow(x, -0.5f), x => Math.Pow(x, -0.5), x => -0.5 * Math.Pow(x, -1.5), 0.2f, 5),
        ["relu"] = new(O.Relu, x => Math.Max(x, 0), x => x > 0 ? 1 : 0, -3, 3),
        ["gelu"] = new(O.Gelu, x => x * Phi(x), x => Phi(x) + x * Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI), -7, 7),
        ["sigmoid"] = new(O.Sigmoid, Sigmoid, x => Sigmoid(x) * (1 - Sigmoid(x)), -12, 12),
        ["tanh"] = new(O.Tanh, Math.Tanh, x => 1 - Math.Tanh(x) * Math.Tanh(x), -6, 6),
        ["neg"] = new(O.Neg, x => -x, _ => -1, -3, 3),
        ["addScalar"] = new(x => O.AddScalar(x, 1.25f), x => x + 1.25, _ => 1, -3, 3),
        ["mulScalar"] = new(x => O.MulScalar(x, -0.75f), x => -0.75 * x, _ => -0.75, -3, 3),
        ["scalarMinus"] = new(x => 2f - x, x => 2 - x, _ => -1, -3, 3),
        ["scalarOver"] = new(x => 2f / x, x => 2 / x, x => -2 / (x * x), 0.2f, 5),
    };

    public static TheoryData<string> UnaryNames() => [.. Unaries.Keys];

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Phi(double x) => 0.5 * (1 + Erf(x / Math.Sqrt(2)));

    /// <summary>
    /// erf in float64 from the everywhere-positive series erf(x) = 2/√π·e^(−x²)·Σ (2x²)ⁿ·x/(2n+1)!! (no
    /// cancellation), accurate to ~1e-15 absolute.
    /// </summary>
    internal static double Erf(double x)
    {
        if (Math.Abs(x) > 6) return Math.Sign(x);
        double term = x, sum = x;
        for (var n = 1; n < 200 && Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
        {
            term *= 2 * x * x / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }

    [Theory]
    [MemberData(nameof(UnaryNames))]
    public void UnaryValuesAndGradientsMatchFloat64OverEveryTailLength(string name)
    {
        var u = Unaries[name];
        var rng = new Rng(31);
        for (var n = 0; n <= 65; n++)
        {
            var x = GradCheck.Random(rng, u.Lo, u.Hi, n);
            x.RequiresGrad = true;
            var y = u.Op(x);
            Assert.Equal([n], y.Shape);
            var r = GradCheck.Random(rng, -1, 1, n);
            if (n > 0) O.Sum(O.Mul(y, r)).Backward();
            for (var i = 0; i < n; i++)
            {
                double xi = x.Span[i];
                AssertNear(u.F(xi), y.Span[i], $"{name} length {n} [{i}] at x = {xi}");
                AssertNear(u.D(xi) * r.Span[i], x.Grad!.Span[i], $"{name}' length {n} [{i}] at x = {xi}");
            }
        }
    }

    /// <summary>A few float32 ulps relative, plus 1e-6 absolute (GELU's erf is accurate to 1e-7 absolute).</summary>
    private static void AssertNear(double want, float got, string what) =>
        Assert.True(Math.Abs(want - got) <= 1e-6 + 4e-6 * Math.Abs(want), $"{what}: want {want}, got {got}");

    [Theory]
    [MemberData(nameof(UnaryNames))]
    public void UnaryGradientsCheck(string name)
    {
        var u = Unaries[name];
        var rng = new Rng(32);
        var x = GradCheck.Random(rng, u.Lo, u.Hi, 3, 7);
        if (name == "relu")
            // Keep away from the kink by more than the finite-difference step.
            for (var i = 0; i < x.Length; i++) if (Math.Abs(x.Span[i]) < 0.05f) x.Span[i] = 0.5f;
        var h = name == "exp" ? 1e-3 : 1e-2;
        GradCheck.Check(t => u.Op(t[0]), [x], h: h);
    }

    [Fact]
    public void ReluGradientAtZeroIsZeroLikePyTorch()
    {
        var x = Tensor.FromArray([-1f, 0f, 2f], 3);
        x.RequiresGrad = true;
        O.Sum(O.Relu(x)).Backward();
        Assert.Equal([0f, 0f, 1f], x.Grad!.ToArray());
    }

    [Fact]
    public void ReluKeepsNaNAndInfinitiesLikePyTorch()
    {
        // 17 values: the vector loop and the scalar tail both see NaN.
        var values = new float[17];
        values[3] = float.NaN;
        values[16] = float.NaN;
        values[5] = float.NegativeInfinity;
        values[6] = float.PositiveInfinity;
        var y = O.Relu(Tensor.FromArray(values, 17)).ToArray();
        Assert.True(float.IsNaN(y[3]) && float.IsNaN(y[16]));
        Assert.Equal(0f, y[5]);
        Assert.Equal(float.PositiveInfinity, y[6]);
    }

    [Fact]
    public void GeluIsWithinAFewFloatUlpsFromTheLeftTailToLargeInputs()
    {
        // Every 1/256 on [−5, 14]: values and derivatives within 1e-6 relative (about 8 ulps) of float64. Below −5
        // float64's 1 + erf loses the relative accuracy the reference needs, so there only tininess is checked.
        var n = 19 * 256 + 1;
        var x = Tensor.Persistent(n);
        for (var i = 0; i < n; i++) x.Span[i] = -5f + i / 256f;
        x.RequiresGrad = true;
        var y = O.Gelu(x);
        O.Sum(y).Backward();
        for (var i = 0; i < n; i++)
        {
            double xi = x.Span[i];
            var want = xi * Phi(xi);
            var (cdf, xPdf) = (Phi(xi), xi * Math.Exp(-xi * xi / 2) / Math.Sqrt(2 * Math.PI));
            Assert.True(Math.Abs(y.Span[i] - want) <= 1e-6 * Math.Abs(want) + 1e-30, $"gelu({xi}) = {y.Span[i]}, want {want}");
            // Φ + x·φ cancels near x = −0.75, so the derivative's error is relative to its two terms.
            Assert.True(Math.Abs(x.Grad!.Span[i] - (cdf + xPdf)) <= 1e-6 * (Math.Abs(cdf) + Math.Abs(xPdf)), $"gelu'({xi}) = {x.Grad.Span[i]}, want {cdf + xPdf}");
        }
        var tail = Tensor.FromArray([-6f, -9f, -13f, -20f, -1e30f], 5);
        foreach (var v in O.Gelu(tail).ToArray()) Assert.True(v <= 0f && v > -1e-7f);
    }

    [Fact]
    public void GeluMatchesPyTorch()
    {
        var r = OpReference.Load("gelu");
        var x = r.Input("x");
        r.AssertOutputAndGradients(O.Gelu(x), 1e-5, ("x", x));
    }

    private delegate Tensor BinaryOp(Tensor a, Tensor b);

    private static readonly Dictionary<string, (BinaryOp Op, Func<double, double, double> F)> Binaries = new()
    {
        ["add"] = (O.Add, (a, b) => a + b),
        ["sub"] = (O.Sub, (a, b) => a - b),
        ["mul"] = (O.Mul, (a, b) => a * b),
        ["div"] = (O.Div, (a, b) => a / b),
    };

    public static TheoryData<string> BinaryNames() => [.. Binaries.Keys];

    [Theory]
    [MemberData(nameof(BinaryNames))]
    public void BinaryValuesMatchFloat64OverEveryTailLength(string name)
    {
        var (op, f) = Binaries[name];
        var rng = new Rng(33);
        for (var n = 0; n <= 65; n++)
        {
            var a = GradCheck.Random(rng, -3, 3, n);
            var b = GradCheck.Random(rng, 0.5f, 3, n);
            var y = op(a, b);
            for (var i = 0; i < n; i++) AssertNear(f(a.Span[i], b.Span[i]), y.Span[i], $"{name} length {n} [{i}]");
        }
    }

    /// <summary>Pairs of shapes that broadcast: trailing row, column against row, middle axis, scalar tensor, leading ones.</summary>
    public static TheoryData<string, int[], int[]> BroadcastCases()
    {
        var data = new TheoryData<string, int[], int[]>();
        int[][][] pairs =
        [
            [[2, 3, 5], [2, 3, 5]], [[2, 3, 5], [5]], [[5], [2, 3, 5]], [[3, 1], [1, 4]], [[2, 3, 4], [3, 1]],
            [[2, 1, 4], [2, 3, 1]], [[2, 3], []], [[], [2, 3]], [[1], [2, 3]], [[1, 3, 1], [2, 1, 17]],
        ];
        foreach (var name in Binaries.Keys)
            foreach (var p in pairs) data.Add(name, p[0], p[1]);
        return data;
    }

    [Theory]
    [MemberData(nameof(BroadcastCases))]
    public void BroadcastingMatchesReferenceAndGradientsCheck(string name, int[] aShape, int[] bShape)
    {
        var (op, f) = Binaries[name];
        var rng = new Rng(34);
        var a = GradCheck.Random(rng, -3, 3, aShape);
        var b = GradCheck.Random(rng, 0.5f, 3, bShape);
        var y = op(a, b);
        var shape = ShapeUtil.Broadcast(aShape, bShape);
        Assert.Equal(shape, y.Shape);
        var (sa, sb) = (BroadcastStrides(aShape, shape), BroadcastStrides(bShape, shape));
        var strides = ShapeUtil.Strides(shape);
        for (var i = 0; i < y.Length; i++)
        {
            int ia = 0, ib = 0;
            for (var d = 0; d < shape.Length; d++)
            {
                var k = i / strides[d] % shape[d];
                ia += k * sa[d];
                ib += k * sb[d];
            }
            AssertNear(f(a.Span[ia], b.Span[ib]), y.Span[i], $"{name} {ShapeUtil.Format(aShape)} with {ShapeUtil.Format(bShape)} [{i}]");
        }
        GradCheck.Check(t => op(t[0], t[1]), [a, b]);
    }

    /// <summary>Strides of <paramref name="shape"/> aligned to the right of <paramref name="target"/>, 0 where broadcast.</summary>
    private static int[] BroadcastStrides(int[] shape, int[] target)
    {
        var own = ShapeUtil.Strides(shape);
        var r = new int[target.Length];
        for (var d = 0; d < shape.Length; d++)
        {
            var t = d + target.Length - shape.Length;
            r[t] = shape[d] == 1 ? 0 : own[d];
        }
        return r;
    }

    [Fact]
    public void IncompatibleShapesNameBoth()
    {
        var ex = Assert.Throws<ArgumentException>(() => O.Add(Tensor.Persistent(2, 3), Tensor.Persistent(4)));
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4]", ex.Message);
    }

    [Fact]
    public void UsingATensorTwiceAddsBothGradients()
    {
        var x = Tensor.FromArray([1f, -2f, 3f], 3);
        x.RequiresGrad = true;
        O.Sum(O.Add(O.Mul(x, x), x)).Backward();
        Assert.Equal([3f, -3f, 7f], x.Grad!.ToArray());
    }
}
