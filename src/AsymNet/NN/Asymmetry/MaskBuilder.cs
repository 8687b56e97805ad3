using AsymNet.Tensors;

namespace AsymNet.NN.Asymmetry;

/// <summary>
/// Builds W-Asymmetric masks (1 = trainable, 0 = fixed). A row (one output unit) consists of groupCount groups of
/// groupSize consecutive entries; each row fixes nfix whole groups chosen at random. Fixed entries are groups of one
/// entry; fixed input filters are groups of k·k entries (one input channel's slice). Rows are resampled until they
/// are pairwise distinct whenever at least as many distinct patterns exist as rows (the authors never check this).
/// </summary>
public static class MaskBuilder
{
    /// <summary>The mask for a weight of shape [out, in] or [out, in, k, k].</summary>
    public static (Tensor Mask, MaskReport Report) Build(int[] weightShape, AsymmetryKind kind, int nfix, Rng rng)
    {
        var rows = weightShape[0];
        var rowLength = ShapeUtil.Numel(weightShape) / rows;
        var (groups, groupSize) = kind switch
        {
            AsymmetryKind.FixedEntries => (rowLength, 1),
            AsymmetryKind.FixedInputFilters when weightShape.Length == 4 => (weightShape[1], rowLength / weightShape[1]),
            AsymmetryKind.FixedInputFilters => throw new ArgumentException("Fixed input filters need a conv weight [out, in, k, k]."),
            _ => throw new ArgumentException($"{kind} does not describe a weight mask."),
        };
        if (nfix < 0) throw new ArgumentOutOfRangeException(nameof(nfix), nfix, "nfix must be ≥ 0.");
        return Build(rows, groups, groupSize, Math.Min(nfix, groups), rng, weightShape);
    }

    private static (Tensor, MaskReport) Build(int rows, int groups, int groupSize, int k, Rng rng, int[] shape)
    {
        var patterns = BinomialAtLeast(groups, k, rows);
        var enforceDistinct = patterns >= rows;
        var mask = Tensor.FromArray(Enumerable.Repeat(1f, rows * groups * groupSize).ToArray(), shape);
        var span = mask.Span;
        var seen = new HashSet<string>();
        for (var r = 0; r < rows; r++)
        {
            int[] chosen;
            do chosen = rng.Subset(groups, k);
            while (enforceDistinct && !seen.Add(string.Join(',', chosen)));
            foreach (var g in chosen)
                span.Slice((r * groups + g) * groupSize, groupSize).Clear();
        }
        string? note = null;
        if (!enforceDistinct && rows > 1)
            note = k == groups
                ? $"every row fully fixed: nfix ≥ {groups} {(groupSize == 1 ? "entries" : "input channels")}; distinct F values still break symmetry when κ > 0"
                : $"only {patterns} distinct patterns for {rows} rows";
        var distinct = enforceDistinct || CountDistinctRows(span, rows, groups * groupSize) == rows;
        return (mask, new MaskReport(rows, groups * groupSize, k * groupSize, distinct, note));
    }

    /// <summary>Distinct rows of a [rows, rowLength] 0/1 mask (works on any loaded mask, e.g. the authors').</summary>
    public static int CountDistinctRows(ReadOnlySpan<float> mask, int rows, int rowLength)
    {
        var seen = new HashSet<string>();
        for (var r = 0; r < rows; r++)
        {
            var row = mask.Slice(r * rowLength, rowLength);
            var key = new char[rowLength];
            for (var i = 0; i < rowLength; i++) key[i] = row[i] == 0f ? '0' : '1';
            seen.Add(new string(key));
        }
        return seen.Count;
    }

    /// <summary>C(n, k), or any value ≥ cap once it reaches cap (avoids overflow).</summary>
    private static long BinomialAtLeast(int n, int k, long cap)
    {
        k = Math.Min(k, n - k);
        double c = 1;
        for (var i = 1; i <= k; i++)
        {
            c = c * (n - k + i) / i;
            if (c >= cap) return cap;
        }
        return (long)Math.Round(c);
    }
}
