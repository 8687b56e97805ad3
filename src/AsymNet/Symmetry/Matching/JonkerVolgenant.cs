using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AsymNet.Symmetry.Matching;

/// <summary>
/// Square minimum-cost assignment by the Jonker–Volgenant algorithm (Computing 38, 1987): column reduction with
/// reduction transfer, one short round of augmenting row reduction, then one shortest augmenting path (Dijkstra on
/// reduced costs) per remaining free row. The structure follows the widely used dense LAPJV (gatagat/lap), with two
/// measured changes (512×512 uniform costs, this 2-core machine): the shortest-path phase is a branch-free SIMD pass
/// over all columns per step instead of JV's todo lists, and augmenting row reduction is capped at about one scan
/// per initially free row, because its long displacement chains cost more (13k row scans, 3–4 ms) than the
/// shortest paths they save (~3.8k SIMD passes, ~1.2 ms in total).
/// <para>Invariant between phases: for every assigned row i, column x[i] minimises c[i, j] − v[j] over j, so
/// u_i = c[i, x_i] − v[x_i] with v is a feasible dual. Costs must be finite (the caller checks).</para>
/// </summary>
internal static class JonkerVolgenant
{
    /// <summary>Solves min Σ c[i, x[i]] over permutations; fills x (row→column), y (column→row) and column potentials v.</summary>
    public static void Solve(double[] c, int n, int[] x, int[] y, double[] v)
    {
        if (n == 0) return;
        var free = new int[n];
        var freeCount = ColumnReduction(c, n, x, y, v, free);
        if (freeCount > 0) freeCount = AugmentingRowReduction(c, n, x, y, v, free, freeCount);
        if (freeCount > 0) AugmentShortestPaths(c, n, x, y, v, free.AsSpan(0, freeCount));
    }

    /// <summary>
    /// v[j] = column minimum; each row gets at most one of the columns whose minimum it holds (scanning columns from
    /// the last, as JV do); rows holding exactly one transfer their slack to it. Returns the free rows.
    /// </summary>
    private static int ColumnReduction(double[] c, int n, int[] x, int[] y, double[] v, int[] free)
    {
        var argmin = new double[n];
        ColumnMinima(c, n, v, argmin);
        Array.Fill(x, -1);
        var unique = new bool[n];
        Array.Fill(unique, true);
        for (var j = n - 1; j >= 0; j--)
        {
            var i = (int)argmin[j];
            if (x[i] < 0)
            {
                x[i] = j;
                y[j] = i;
            }
            else
            {
                unique[i] = false;
                y[j] = -1;
            }
        }

        var freeCount = 0;
        for (var i = 0; i < n; i++)
        {
            if (x[i] < 0)
            {
                free[freeCount++] = i;
                continue;
            }
            if (!unique[i] || n == 1) continue;
            // Reduction transfer: lower v[x_i] by the gap to the row's second-best column, keeping x_i its row minimum.
            var j1 = x[i];
            var row = c.AsSpan(i * n, n);
            var saved = row[j1];
            row[j1] = double.PositiveInfinity;
            var (min, _) = MinOfDifference(row, v);
            row[j1] = saved;
            v[j1] -= min;
        }
        return freeCount;
    }

    /// <summary>v[j] = min_i c[i, j] and argmin[j] = the first row attaining it (as a double, for SIMD blending).</summary>
    private static void ColumnMinima(double[] c, int n, double[] v, double[] argmin)
    {
        c.AsSpan(0, n).CopyTo(v);
        Array.Clear(argmin);
        ref var vRef = ref MemoryMarshal.GetArrayDataReference(v);
        ref var aRef = ref MemoryMarshal.GetArrayDataReference(argmin);
        for (var i = 1; i < n; i++)
        {
            ref var row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(c), i * n);
            var j = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var iv = new Vector<double>(i);
                for (; j <= n - Vector<double>.Count; j += Vector<double>.Count)
                {
                    var cv = Vector.LoadUnsafe(ref row, (nuint)j);
                    var vv = Vector.LoadUnsafe(ref vRef, (nuint)j);
                    var lower = Vector.LessThan(cv, vv);
                    Vector.ConditionalSelect(lower, cv, vv).StoreUnsafe(ref vRef, (nuint)j);
                    Vector.ConditionalSelect(lower, iv, Vector.LoadUnsafe(ref aRef, (nuint)j)).StoreUnsafe(ref aRef, (nuint)j);
                }
            }
            for (; j < n; j++)
            {
                var cij = Unsafe.Add(ref row, j);
                if (cij < v[j])
                {
                    v[j] = cij;
                    argmin[j] = i;
                }
            }
        }
    }

    /// <summary>
    /// Augmenting row reduction: a free row takes its best column j1 (by c − v); if the runner-up is strictly worse,
    /// v[j1] drops by the gap so that the row displaced from j1 (if any) is processed next with the new prices.
    /// After as many steps as there were free rows, displaced rows are only collected (the cap also stops the cycling
    /// that floating-point ties can cause). Returns the rows still free.
    /// </summary>
    private static int AugmentingRowReduction(double[] c, int n, int[] x, int[] y, double[] v, int[] free, int freeCount)
    {
        var current = 0;
        var newFree = 0;
        var iterations = 0;
        while (current < freeCount)
        {
            iterations++;
            var i = free[current++];
            var (j1, v1, j2, v2) = TwoSmallest(c.AsSpan(i * n, n), v);
            var i0 = y[j1];
            var v1New = v[j1] - (v2 - v1);
            var lowers = v1New < v[j1];
            if (iterations < freeCount)
            {
                if (lowers) v[j1] = v1New;
                else if (i0 >= 0 && j2 >= 0)
                {
                    j1 = j2;
                    i0 = y[j2];
                }
                if (i0 >= 0)
                {
                    if (lowers) free[--current] = i0;
                    else free[newFree++] = i0;
                }
            }
            else if (i0 >= 0) free[newFree++] = i0;
            if (i0 >= 0) x[i0] = -1;
            x[i] = j1;
            y[j1] = i;
        }
        return newFree;
    }

    /// <summary>The smallest and second-smallest value of row[j] − v[j] with their columns (j2 = −1 when n = 1).</summary>
    private static (int J1, double V1, int J2, double V2) TwoSmallest(ReadOnlySpan<double> row, double[] v)
    {
        var j1 = 0;
        var v1 = row[0] - v[0];
        var j2 = -1;
        var v2 = double.PositiveInfinity;
        for (var j = 1; j < row.Length; j++)
        {
            var h = row[j] - v[j];
            if (h >= v2) continue;
            if (h >= v1)
            {
                v2 = h;
                j2 = j;
            }
            else
            {
                (v2, j2) = (v1, j1);
                (v1, j1) = (h, j);
            }
        }
        return (j1, v1, j2, v2);
    }

    /// <summary>min_j row[j] − v[j] and the first column attaining it.</summary>
    private static (double Min, int Arg) MinOfDifference(ReadOnlySpan<double> row, double[] v)
    {
        var min = double.PositiveInfinity;
        var arg = -1;
        for (var j = 0; j < row.Length; j++)
        {
            var h = row[j] - v[j];
            if (h < min)
            {
                min = h;
                arg = j;
            }
        }
        return (min, arg);
    }

    /// <summary>
    /// For each free row: Dijkstra over columns on reduced costs until it reaches an unassigned column, then update
    /// the potentials of the columns settled on the way and flip the alternating path. Settled columns are masked by
    /// d = +∞ and a working price of −∞, so each relaxation step is one branch-free SIMD pass over a cost row that also
    /// yields the next minimum.
    /// </summary>
    private static void AugmentShortestPaths(double[] c, int n, int[] x, int[] y, double[] v, ReadOnlySpan<int> freeRows)
    {
        var d = new double[n];
        var w = new double[n];
        var pred = new double[n];
        var settled = new int[n];
        var settledDist = new double[n];
        foreach (var f in freeRows)
        {
            v.CopyTo(w, 0);
            Array.Fill(pred, f);
            var mu = InitialDistances(c.AsSpan(f * n, n), v, d);
            var count = 0;
            int end;
            while (true)
            {
                var j = ArgMinPreferringFree(d, mu, y);
                settled[count] = j;
                settledDist[count++] = mu;
                if (y[j] < 0)
                {
                    end = j;
                    break;
                }
                var i = y[j];
                var offset = mu - (c[i * n + j] - v[j]);
                d[j] = double.PositiveInfinity;
                w[j] = double.NegativeInfinity;
                mu = Relax(c, i * n, n, offset, i, w, d, pred);
            }

            // Settled columns move by their distance below the final one; this keeps every reduced cost ≥ 0.
            for (var k = 0; k < count - 1; k++) v[settled[k]] += settledDist[k] - mu;
            var col = end;
            while (true)
            {
                var i = (int)pred[col];
                y[col] = i;
                (x[i], col) = (col, x[i]);
                if (i == f) break;
            }
        }
    }

    private static double InitialDistances(ReadOnlySpan<double> row, double[] v, double[] d)
    {
        var min = double.PositiveInfinity;
        for (var j = 0; j < row.Length; j++)
        {
            d[j] = row[j] - v[j];
            if (d[j] < min) min = d[j];
        }
        return min;
    }

    /// <summary>d[j] = min(d[j], offset + c[i, j] − w[j]), pred[j] = i where lowered; returns min_j d[j].</summary>
    private static double Relax(double[] c, int rowStart, int n, double offset, int i, double[] w, double[] d, double[] pred)
    {
        ref var row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(c), rowStart);
        ref var wRef = ref MemoryMarshal.GetArrayDataReference(w);
        ref var dRef = ref MemoryMarshal.GetArrayDataReference(d);
        ref var pRef = ref MemoryMarshal.GetArrayDataReference(pred);
        var j = 0;
        var min = double.PositiveInfinity;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var offsetV = new Vector<double>(offset);
            var iv = new Vector<double>(i);
            var minV = new Vector<double>(double.PositiveInfinity);
            for (; j <= n - Vector<double>.Count; j += Vector<double>.Count)
            {
                var h = offsetV + Vector.LoadUnsafe(ref row, (nuint)j) - Vector.LoadUnsafe(ref wRef, (nuint)j);
                var dv = Vector.LoadUnsafe(ref dRef, (nuint)j);
                var lower = Vector.LessThan(h, dv);
                dv = Vector.ConditionalSelect(lower, h, dv);
                dv.StoreUnsafe(ref dRef, (nuint)j);
                Vector.ConditionalSelect(lower, iv, Vector.LoadUnsafe(ref pRef, (nuint)j)).StoreUnsafe(ref pRef, (nuint)j);
                minV = Vector.Min(minV, dv);
            }
            for (var k = 0; k < Vector<double>.Count; k++) min = Math.Min(min, minV[k]);
        }
        for (; j < n; j++)
        {
            var h = offset + Unsafe.Add(ref row, j) - Unsafe.Add(ref wRef, j);
            ref var dj = ref Unsafe.Add(ref dRef, j);
            if (h < dj)
            {
                dj = h;
                Unsafe.Add(ref pRef, j) = i;
            }
            if (dj < min) min = dj;
        }
        return min;
    }

    /// <summary>A column with d[j] = mu, an unassigned one if any ties (that ends the search a step early).</summary>
    private static int ArgMinPreferringFree(double[] d, double mu, int[] y)
    {
        var first = -1;
        ref var dRef = ref MemoryMarshal.GetArrayDataReference(d);
        var j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var muV = new Vector<double>(mu);
            for (; j <= d.Length - Vector<double>.Count; j += Vector<double>.Count)
            {
                if (!Vector.EqualsAny(Vector.LoadUnsafe(ref dRef, (nuint)j), muV)) continue;
                for (var k = j; k < j + Vector<double>.Count; k++)
                {
                    if (d[k] != mu) continue;
                    if (y[k] < 0) return k;
                    if (first < 0) first = k;
                }
            }
        }
        for (; j < d.Length; j++)
        {
            if (d[j] != mu) continue;
            if (y[j] < 0) return j;
            if (first < 0) first = j;
        }
        return first;
    }
}
