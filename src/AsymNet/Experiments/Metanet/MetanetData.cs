using AsymNet.Experiments.Zoo;
using AsymNet.NN.Models;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Metanet;

/// <summary>
/// One zoo variant as a metanet data set: a row per usable network (its index, its test accuracy in [0, 1] as the
/// target, and its input: the trainable weights, or StatNN's statistics of them), split into train / validation / test
/// by <see cref="SplitOf"/>. Diverged networks are left out after the split is drawn, so a network has the same split
/// in every variant of the zoo (docs/paper.md#metanet-split).
/// </summary>
public sealed class MetanetData
{
    public const string Train = "train";
    public const string Validation = "val";
    public const string Test = "test";

    private MetanetData(string variant, int width, int tensorCount, int[] indices, float[] inputs, float[] targets, IReadOnlyDictionary<int, string> split)
    {
        Variant = variant;
        Width = width;
        TensorCount = tensorCount;
        Indices = indices;
        Inputs = inputs;
        Targets = targets;
        Rows = new Dictionary<string, int[]>
        {
            [Train] = Select(Train),
            [Validation] = Select(Validation),
            [Test] = Select(Test),
        };

        int[] Select(string name) => Enumerable.Range(0, indices.Length).Where(r => split[indices[r]] == name).ToArray();
    }

    public string Variant { get; }

    /// <summary>Numbers per input row.</summary>
    public int Width { get; }

    /// <summary>Weight tensors per network (StatNN reads 7 statistics of each).</summary>
    public int TensorCount { get; }

    /// <summary>Network index of each row.</summary>
    public int[] Indices { get; }

    /// <summary>Row-major [rows, Width].</summary>
    public float[] Inputs { get; }

    public float[] Targets { get; }

    /// <summary>The rows of each split, in network-index order.</summary>
    public IReadOnlyDictionary<string, int[]> Rows { get; }

    /// <summary>
    /// The split of every network index in the zoo: a seeded permutation of the sorted indices (all variants
    /// together), the first round(n·train) train, the next round(n·validation) validation, the rest test.
    /// </summary>
    public static IReadOnlyDictionary<int, string> SplitOf(ZooReader zoo, MetanetRecipe recipe)
    {
        var indices = zoo.Records.Select(r => r.Index).Distinct().Order().ToArray();
        var order = Rng.ForKey(recipe.Seed, "metanet/split").Permutation(indices.Length);
        var train = (int)Math.Round(indices.Length * recipe.TrainFraction, MidpointRounding.ToEven);
        var validation = (int)Math.Round(indices.Length * recipe.ValidationFraction, MidpointRounding.ToEven);
        var split = new Dictionary<int, string>();
        for (var p = 0; p < order.Length; p++)
            split[indices[order[p]]] = p < train ? Train : p < train + validation ? Validation : Test;
        return split;
    }

    /// <summary>Loads the usable networks of <paramref name="variant"/> as raw trainable weights or as statistics.</summary>
    public static MetanetData Load(ZooReader zoo, string variant, bool statistics, IReadOnlyDictionary<int, string> split)
    {
        var records = zoo.Usable(variant);
        if (records.Count == 0) throw new InvalidDataException($"Zoo {zoo.Dir} has no usable network of variant '{variant}' (variants there: {string.Join(", ", zoo.Variants)}).");
        float[]? inputs = null;
        int width = 0, tensors = 0;
        for (var r = 0; r < records.Count; r++)
        {
            var weights = zoo.Load(records[r]);
            var rowWidth = statistics ? StatNNFeatures.PerTensor * weights.Tensors.Count : weights.Count;
            if (inputs is null)
            {
                (width, tensors) = (rowWidth, weights.Tensors.Count);
                inputs = new float[(long)records.Count * width];
            }
            else if (rowWidth != width)
            {
                throw new InvalidDataException($"{zoo.NetworkPath(records[r])} gives {rowWidth} inputs, the zoo's first {variant} network {width}: the networks differ in shape or masks.");
            }
            var row = inputs.AsSpan(r * width, width);
            if (statistics) weights.StatisticsTo(row);
            else weights.CopyTo(row);
        }
        var targets = records.Select(r => (float)r.TestAccuracy).ToArray();
        return new MetanetData(variant, width, tensors, records.Select(r => r.Index).ToArray(), inputs!, targets, split);
    }

    /// <summary>Copies rows into a [rows.Length, Width] input tensor and a [rows.Length, 1] target tensor.</summary>
    public void Gather(ReadOnlySpan<int> rows, Tensor inputs, Tensor targets)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            Inputs.AsSpan(rows[i] * Width, Width).CopyTo(inputs.Span.Slice(i * Width, Width));
            targets.Span[i] = Targets[rows[i]];
        }
    }
}
