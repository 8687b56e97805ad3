using AsymNet.Tensors;
using AsymNet.Tensors.Gemm;

namespace AsymNet.Data;

/// <summary>
/// Exact k-nearest-neighbour lists under Euclidean distance, and their symmetrisation into an undirected graph.
/// Candidate neighbours come from GEMM-based distances (‖a‖² + ‖b‖² − 2a·b, float32, through
/// <see cref="Blas.Current"/>); the best k + <see cref="ExtraCandidates"/> are then re-ranked with distances
/// recomputed in float64, ties going to the lower index, so the result does not depend on the GEMM provider.
/// </summary>
public static class KnnGraph
{
    public const int ExtraCandidates = 8;
    private const int BlockRows = 256;

    /// <summary>For each row of <paramref name="points"/> [N, D], its k nearest other rows, nearest first: result [N·k].</summary>
    public static int[] Neighbours(ReadOnlySpan<float> points, int n, int d, int k)
    {
        if (k <= 0 || k >= n) throw new ArgumentOutOfRangeException(nameof(k), $"Need 0 < k < {n}.");
        var candidates = Math.Min(k + ExtraCandidates, n - 1);
        var norms = new float[n];
        for (var i = 0; i < n; i++)
        {
            var row = points.Slice(i * d, d);
            norms[i] = System.Numerics.Tensors.TensorPrimitives.Dot(row, row);
        }
        var result = new int[n * k];
        var block = new float[BlockRows * n];
        var bestDist = new float[candidates];
        var bestIdx = new int[candidates];
        var exact = new (double Dist, int Index)[candidates];
        for (var b0 = 0; b0 < n; b0 += BlockRows)
        {
            var rows = Math.Min(BlockRows, n - b0);
            Blas.Current.Sgemm(false, true, rows, n, d, 1f, points.Slice(b0 * d, rows * d), d, points, d, 0f, block, n);
            for (var r = 0; r < rows; r++)
            {
                var i = b0 + r;
                var dots = block.AsSpan(r * n, n);
                var count = 0;
                for (var j = 0; j < n; j++)
                {
                    if (j == i) continue;
                    var dist = norms[i] + norms[j] - 2f * dots[j];
                    if (count == candidates && dist >= bestDist[count - 1]) continue;
                    var pos = count < candidates ? count++ : count - 1;
                    while (pos > 0 && bestDist[pos - 1] > dist)
                    {
                        bestDist[pos] = bestDist[pos - 1];
                        bestIdx[pos] = bestIdx[pos - 1];
                        pos--;
                    }
                    bestDist[pos] = dist;
                    bestIdx[pos] = j;
                }
                for (var c = 0; c < count; c++) exact[c] = (SquaredDistance(points, d, i, bestIdx[c]), bestIdx[c]);
                Array.Sort(exact, 0, count);
                for (var c = 0; c < k; c++) result[i * k + c] = exact[c].Index;
            }
        }
        return result;
    }

    /// <summary>Undirected graph with an edge i–j whenever j is among i's neighbours or i among j's (union).</summary>
    public static CsrAdjacency Symmetrize(int[] neighbours, int n, int k)
    {
        var sources = new int[n * k];
        for (var i = 0; i < n; i++) sources.AsSpan(i * k, k).Fill(i);
        return GraphDataset.Undirected(n, sources, neighbours);
    }

    private static double SquaredDistance(ReadOnlySpan<float> points, int d, int a, int b)
    {
        var x = points.Slice(a * d, d);
        var y = points.Slice(b * d, d);
        var s = 0.0;
        for (var t = 0; t < d; t++)
        {
            var diff = (double)x[t] - y[t];
            s += diff * diff;
        }
        return s;
    }
}
