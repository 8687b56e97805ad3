namespace AsymNet.NN.Models;

/// <summary>
/// StatNN's input (the authors' metanet/models.py StatNN): for each weight tensor, in state-dict order, its mean,
/// unbiased variance, minimum, maximum and 25/50/75% quantiles (linear interpolation, NumPy's and torch.quantile's
/// default). A tensor with no entries to describe (the W-Asym ResNet8's fully fixed stem) gives seven zeros; one
/// with a single entry has variance 0 (torch would give NaN).
/// </summary>
public static class StatNNFeatures
{
    public const int PerTensor = 7;

    /// <summary>Writes the seven statistics of <paramref name="values"/> into <paramref name="destination"/>[0..7].</summary>
    public static void Write(ReadOnlySpan<float> values, Span<float> destination)
    {
        destination = destination[..PerTensor];
        if (values.IsEmpty)
        {
            destination.Clear();
            return;
        }
        var sorted = values.ToArray();
        Array.Sort(sorted);
        double sum = 0;
        foreach (var v in sorted) sum += v;
        var mean = sum / sorted.Length;
        double squares = 0;
        foreach (var v in sorted) squares += (v - mean) * (v - mean);
        destination[0] = (float)mean;
        destination[1] = sorted.Length > 1 ? (float)(squares / (sorted.Length - 1)) : 0f;
        destination[2] = sorted[0];
        destination[3] = sorted[^1];
        destination[4] = (float)Quantile(sorted, 0.25);
        destination[5] = (float)Quantile(sorted, 0.5);
        destination[6] = (float)Quantile(sorted, 0.75);
    }

    /// <summary>The q-quantile of sorted values with linear interpolation between the two nearest ranks.</summary>
    public static double Quantile(ReadOnlySpan<float> sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * ((double)sorted[above] - sorted[below]);
    }
}
