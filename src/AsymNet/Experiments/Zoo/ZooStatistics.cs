using System.Numerics.Tensors;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Zoo;

/// <summary>Appendix A's numbers for one variant of a zoo: accuracies from zoo.csv (diverged networks left out) and the
/// mean distance per parameter ‖θ_i − θ_j‖₂ / #trainable over random pairs of its networks.</summary>
public sealed record ZooVariantStatistics(
    string Variant, int Networks, int Diverged, double TrainAccuracy, double TestAccuracy, int TrainableParameters, int Pairs, double DistancePerParameter);

/// <summary>
/// The paper's Appendix A statistics of a zoo (docs/paper.md#zoo-statistics). θ is a network's trainable entries (its
/// metanet input), so the fixed entries a W-Asym zoo shares add nothing. Pairs are drawn uniformly without repeats by a
/// seeded generator; with fewer pairs than asked for in the zoo every pair is used.
/// </summary>
public static class ZooStatistics
{
    /// <summary>Paper Appendix A: (train, test accuracy, distance per parameter) of the standard and W-Asym zoos.</summary>
    public static readonly IReadOnlyDictionary<string, (double Train, double Test, double Distance)> Paper = new Dictionary<string, (double, double, double)>
    {
        ["standard"] = (0.748, 0.738, 0.0034),
        ["w"] = (0.640, 0.640, 0.0051),
    };

    public static IReadOnlyList<ZooVariantStatistics> Compute(ZooReader zoo, int pairs, ulong seed) =>
        zoo.Variants.Select(v => Compute(zoo, v, pairs, seed)).ToList();

    public static ZooVariantStatistics Compute(ZooReader zoo, string variant, int pairs, ulong seed)
    {
        var all = zoo.Records.Where(r => r.Variant == variant).ToList();
        var usable = zoo.Usable(variant);
        var chosen = Pairs(usable.Count, pairs, Rng.ForKey(seed, "zoo-stats/" + variant));
        var cache = new Dictionary<int, float[]>();
        double distance = 0;
        var trainable = 0;
        foreach (var (i, j) in chosen)
        {
            var a = Weights(i);
            var b = Weights(j);
            trainable = a.Length;
            if (b.Length != a.Length) throw new InvalidDataException($"{zoo.NetworkPath(usable[j])} has {b.Length} trainable entries, {zoo.NetworkPath(usable[i])} {a.Length}.");
            distance += TensorPrimitives.Distance(a, b) / a.Length;
        }
        if (chosen.Count == 0 && usable.Count > 0) trainable = Weights(0).Length;
        return new ZooVariantStatistics(variant, usable.Count, all.Count(r => r.Diverged), Mean(usable.Select(r => r.TrainAccuracy)), Mean(usable.Select(r => r.TestAccuracy)),
            trainable, chosen.Count, chosen.Count > 0 ? distance / chosen.Count : double.NaN);

        float[] Weights(int k)
        {
            if (cache.TryGetValue(k, out var w)) return w;
            var weights = zoo.Load(usable[k]);
            w = new float[weights.Count];
            weights.CopyTo(w);
            return cache[k] = w;
        }
    }

    /// <summary>Distinct unordered pairs (i &lt; j) of n items: all of them when there are at most <paramref name="count"/>,
    /// else <paramref name="count"/> drawn uniformly without repeats.</summary>
    public static IReadOnlyList<(int, int)> Pairs(int n, int count, Rng rng)
    {
        var total = (long)n * (n - 1) / 2;
        if (total <= count)
            return [.. Enumerable.Range(0, n).SelectMany(i => Enumerable.Range(i + 1, n - i - 1).Select(j => (i, j)))];
        var seen = new HashSet<(int, int)>();
        var list = new List<(int, int)>(count);
        while (list.Count < count)
        {
            var i = rng.NextInt(n);
            var j = rng.NextInt(n);
            if (i == j) continue;
            var pair = i < j ? (i, j) : (j, i);
            if (seen.Add(pair)) list.Add(pair);
        }
        return list;
    }

    private static double Mean(IEnumerable<double> values)
    {
        var v = values.ToList();
        return v.Count > 0 ? v.Average() : double.NaN;
    }
}
