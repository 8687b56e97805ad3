using AsymNet.Tensors;

namespace AsymNet.Tests.NN;

/// <summary>
/// Deterministic tensor values shared with tools/reference/models_reference.py (its fill_rule / fill_value): dyadic
/// numbers center + scale·(2f − 1) with f the 24-bit float of Rng.ForKey(seed, key), exact in float32, so PyTorch and
/// AsymNet hold bit-identical weights without storing them.
/// </summary>
public static class ReferenceFill
{
    public static float[] Values(ulong seed, string key, int[] shape)
    {
        var last = key[(key.LastIndexOf('.') + 1)..];
        var n = ShapeUtil.Numel(shape);
        if (last == "num_batches_tracked") return new float[n];
        if (last == "mask") return Draw(seed, key, n, f => f < 0.2 ? 0.0 : 1.0);
        var (center, scale) = shape.Length >= 2 ? (0.0, WeightScale(shape))
            : last is "weight" or "running_var" ? (1.0, 0.25)
            : (0.0, 0.125);
        return Uniform(seed, key, n, center, scale);
    }

    public static float[] Uniform(ulong seed, string key, int n, double center, double scale) =>
        Draw(seed, key, n, f => center + scale * (2.0 * f - 1.0));

    private static float[] Draw(ulong seed, string key, int n, Func<double, double> map)
    {
        var rng = Rng.ForKey(seed, key);
        var values = new float[n];
        for (var i = 0; i < n; i++) values[i] = (float)map(rng.NextFloat());
        return values;
    }

    /// <summary>2^−k with 4^k the first power of four ≥ fan_in (about 1/√fan_in).</summary>
    private static double WeightScale(int[] shape)
    {
        var fanIn = 1;
        for (var i = 1; i < shape.Length; i++) fanIn *= shape[i];
        var k = 0;
        while (Math.Pow(4, k) < fanIn) k++;
        return Math.Pow(2, -k);
    }
}
