using AsymNet.NN.Models;
using AsymNet.Tensors;

namespace AsymNet.Symmetry.Interpolation;

/// <summary>
/// Loads (1−λ)θ1 + λθ2 into a model of the same architecture: every parameter and persistent buffer (BatchNorm
/// running statistics included, as the authors do) is interpolated, except the buffers the architecture seed
/// determines (W-Asym masks and F, FiGLU matrices). Those must be identical in both endpoints, which the constructor
/// checks, and are copied rather than interpolated: (1−λ)m + λm is not always m in float32, and a mask entry of
/// 0.99999994 would no longer be a mask. Each value is computed in float64 and rounded once, so λ = 0 and λ = 1
/// reproduce the endpoints bit for bit.
/// </summary>
public sealed class StateInterpolation
{
    private readonly List<(string Key, Tensor A, Tensor B, bool Fixed)> _entries = [];
    private readonly Dictionary<string, Tensor> _scratch = new(StringComparer.Ordinal);

    /// <summary>Snapshots both endpoints (later changes to <paramref name="a"/> or <paramref name="b"/> do not matter).</summary>
    public StateInterpolation(Model a, Model b)
    {
        var sdA = a.StateDict();
        var sdB = b.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (key, _) in sdA.Where(kv => !sdB.ContainsKey(kv.Key))) problems.Add($"'{key}' only in the first network");
        var keysA = sdA.Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var key in sdB.Keys.Where(k => !keysA.Contains(k))) problems.Add($"'{key}' only in the second network");
        foreach (var (key, ta) in sdA)
            if (sdB.TryGetValue(key, out var tb) && !ShapeUtil.SameShape(ta.Shape, tb.Shape))
                problems.Add($"'{key}' is {ShapeUtil.Format(ta.Shape)} in the first network and {ShapeUtil.Format(tb.Shape)} in the second");
        if (problems.Count > 0)
            throw new ArgumentException("Cannot interpolate networks of different architectures: " + string.Join("; ", problems) + ".");

        var fixedB = b.FixedBuffers().ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        var fixedKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, ta) in a.FixedBuffers())
        {
            fixedKeys.Add(key);
            if (!fixedB.TryGetValue(key, out var tb))
                throw new ArgumentException($"'{key}' is a fixed (architecture-seed) buffer in the first network but not in the second.");
            var differing = CountDifferences(ta.Span, tb.Span);
            if (differing > 0)
                throw new ArgumentException(
                    $"The networks do not share their fixed parts: '{key}' differs in {differing} of {ta.Length} entries. " +
                    "W-Asym masks and F and FiGLU matrices must be identical in both endpoints (build both from one config, i.e. one architecture seed).");
        }
        if (fixedB.Keys.FirstOrDefault(k => !fixedKeys.Contains(k)) is { } extra)
            throw new ArgumentException($"'{extra}' is a fixed (architecture-seed) buffer in the second network but not in the first.");

        foreach (var (key, ta) in sdA)
        {
            _entries.Add((key, ta.Clone(), sdB[key].Clone(), fixedKeys.Contains(key)));
            _scratch[key] = Tensor.Persistent(ta.Shape);
        }
    }

    /// <summary>State-dict keys that are copied rather than interpolated.</summary>
    public IEnumerable<string> FixedKeys => _entries.Where(e => e.Fixed).Select(e => e.Key);

    /// <summary>Writes (1−λ)θ1 + λθ2 into <paramref name="target"/> (strict: its keys and shapes must match).</summary>
    public void Apply(Model target, double lambda)
    {
        foreach (var (key, a, b, isFixed) in _entries)
        {
            var dst = _scratch[key].Span;
            if (isFixed) a.Span.CopyTo(dst);
            else Mix(a.Span, b.Span, lambda, dst);
        }
        target.LoadStateDict(_scratch);
    }

    /// <summary>dst = (1−λ)a + λb, each entry in float64 and rounded once.</summary>
    public static void Mix(ReadOnlySpan<float> a, ReadOnlySpan<float> b, double lambda, Span<float> dst)
    {
        var wa = 1 - lambda;
        for (var i = 0; i < dst.Length; i++) dst[i] = (float)(wa * a[i] + lambda * b[i]);
    }

    private static int CountDifferences(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var n = 0;
        for (var i = 0; i < a.Length; i++)
            if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i])) n++;
        return n;
    }
}
