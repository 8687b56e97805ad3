using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.Tests.Support;

/// <summary>
/// Gradient check against central finite differences. The scalar probed is L = Σ f(x)·R for a fixed random R,
/// evaluated in float32 by the op but accumulated in float64, so finite differences with step h are accurate to
/// about 1e-7·|L|/h. Inputs should stay away from kinks (relu at 0, ties in max) by more than h.
/// </summary>
public static class GradCheck
{
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, double h = 1e-2, double atol = 2e-3, double rtol = 2e-2, ulong seed = 7)
    {
        foreach (var x in inputs) { x.RequiresGrad = true; x.Grad = null; }
        var probe = f(inputs);
        var r = new float[probe.Length];
        new Rng(seed).FillUniform(r, -1f, 1f);

        // Analytic: backward of Σ y·R, with R entering as a constant tensor.
        var weights = Tensor.FromArray(r, probe.Shape);
        Ops.Sum(Ops.Mul(probe, weights)).Backward();
        var analytic = inputs.Select(x => x.Grad?.ToArray() ?? new float[x.Length]).ToArray();

        using var _ = GradMode.NoGrad();
        for (var t = 0; t < inputs.Length; t++)
        {
            var span = inputs[t].Span;
            for (var i = 0; i < span.Length; i++)
            {
                var orig = span[i];
                span[i] = (float)(orig + h);
                var plus = Probe(f, inputs, r);
                span[i] = (float)(orig - h);
                var minus = Probe(f, inputs, r);
                span[i] = orig;
                var numeric = (plus - minus) / (2 * h);
                var got = analytic[t][i];
                var tol = atol + rtol * Math.Abs(numeric);
                if (!(Math.Abs(got - numeric) <= tol))
                    throw new Xunit.Sdk.XunitException($"Gradient mismatch for input {t} {ShapeUtil.Format(inputs[t].Shape)} at flat index {i}: analytic {got}, numeric {numeric}.");
            }
        }
    }

    private static double Probe(Func<Tensor[], Tensor> f, Tensor[] inputs, float[] r)
    {
        var y = f(inputs).Span;
        var acc = 0.0;
        for (var i = 0; i < y.Length; i++) acc += (double)y[i] * r[i];
        return acc;
    }

    /// <summary>Output, then the gradients of every input (empty where none flowed), of Σ f(inputs)·c for a fixed random c.</summary>
    public static float[][] ForwardAndGradients(Func<Tensor[], Tensor> f, Tensor[] inputs)
    {
        foreach (var t in inputs) (t.RequiresGrad, t.Grad) = (true, null);
        var y = f(inputs);
        var c = Random(new Rng(5), -1, 1, y.Shape);
        Ops.Sum(Ops.Mul(y, c)).Backward();
        return [y.ToArray(), .. inputs.Select(t => t.Grad?.ToArray() ?? [])];
    }

    /// <summary>A persistent tensor of the given shape with uniform values in [lo, hi).</summary>
    public static Tensor Random(Rng rng, float lo, float hi, params int[] shape)
    {
        var t = Tensor.Persistent(shape);
        rng.FillUniform(t.Span, lo, hi);
        return t;
    }
}
