using AsymNet.Tensors;

namespace AsymNet.Data;

/// <summary>Deterministic index splits and subsets (all results sorted ascending).</summary>
public static class DataSplit
{
    /// <summary>
    /// Holds out <paramref name="validCount"/> of <paramref name="count"/> indices chosen uniformly at random
    /// (e.g. LMC MNIST: 60,000 → 54,000 train / 6,000 valid with <c>new Rng(42)</c>; torch's random_split draws differ).
    /// </summary>
    public static (int[] Train, int[] Valid) HoldOut(int count, int validCount, Rng rng)
    {
        var valid = rng.Subset(count, validCount);
        return (Complement(count, valid), valid);
    }

    /// <summary>Holds out round(fraction · n_c) indices of each class c, chosen uniformly within the class.</summary>
    public static (int[] Train, int[] Valid) HoldOutStratified(int[] labels, double validFraction, Rng rng)
    {
        if (validFraction is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(validFraction));
        var valid = new List<int>();
        foreach (var group in Enumerable.Range(0, labels.Length).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            var take = (int)Math.Round(validFraction * members.Length);
            valid.AddRange(rng.Subset(members.Length, take).Select(j => members[j]));
        }
        valid.Sort();
        return (Complement(labels.Length, valid.ToArray()), valid.ToArray());
    }

    /// <summary><paramref name="n"/> of <paramref name="indices"/>, uniformly at random (the whole array when n ≥ its length).</summary>
    public static int[] Subset(int[] indices, int n, Rng rng)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n));
        if (n >= indices.Length) return (int[])indices.Clone();
        var picked = rng.Subset(indices.Length, n).Select(j => indices[j]).ToArray();
        Array.Sort(picked);
        return picked;
    }

    /// <summary>0..count-1.</summary>
    public static int[] All(int count)
    {
        var a = new int[count];
        for (var i = 0; i < count; i++) a[i] = i;
        return a;
    }

    private static int[] Complement(int count, int[] sortedExcluded)
    {
        var result = new int[count - sortedExcluded.Length];
        int w = 0, e = 0;
        for (var i = 0; i < count; i++)
        {
            if (e < sortedExcluded.Length && sortedExcluded[e] == i) e++;
            else result[w++] = i;
        }
        return result;
    }
}
