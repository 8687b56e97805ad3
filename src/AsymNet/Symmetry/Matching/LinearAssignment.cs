using System.Buffers;

namespace AsymNet.Symmetry.Matching;

/// <summary>
/// Exact linear assignment (SciPy's linear_sum_assignment): choose min(rows, columns) pairs, at most one per row and
/// per column, minimising or maximising the summed cost. Dense float64 costs, any shape; the solution comes with dual
/// potentials that certify its optimality (see <see cref="Assignment"/>).
/// <para>Method: Jonker–Volgenant shortest augmenting paths (<see cref="JonkerVolgenant"/>) on a square problem.
/// A wide problem (rows &lt; columns) gets zero-cost dummy rows, which cannot change which real pairs are optimal; a
/// tall one is solved transposed. Maximisation solves the negated costs.</para>
/// </summary>
public static class LinearAssignment
{
    /// <summary>Solves the problem for a row-major cost matrix of <paramref name="rows"/> × <paramref name="columns"/>.</summary>
    /// <exception cref="ArgumentException">A cost is NaN or infinite, or the span has the wrong length.</exception>
    public static Assignment Solve(ReadOnlySpan<double> cost, int rows, int columns, bool maximize = false)
    {
        if (rows < 0 || columns < 0) throw new ArgumentOutOfRangeException(nameof(rows), $"Negative size {rows}×{columns}.");
        if (cost.Length != (long)rows * columns)
            throw new ArgumentException($"A {rows}×{columns} cost matrix needs {(long)rows * columns} entries, got {cost.Length}.", nameof(cost));
        var n = Math.Max(rows, columns);
        if ((long)n * n > Array.MaxLength)
            throw new ArgumentException($"A {rows}×{columns} problem is too large for a dense solver ({n}² entries).", nameof(cost));

        // Working copy: n×n, the problem's short side along rows, negated for maximisation, dummy rows zero. Pooled:
        // weight matching solves thousands of same-sized problems.
        var work = ArrayPool<double>.Shared.Rent(n * n);
        try
        {
            return SolveWorking(cost, rows, columns, maximize, work, n);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(work);
        }
    }

    private static Assignment SolveWorking(ReadOnlySpan<double> cost, int rows, int columns, bool maximize, double[] work, int n)
    {
        var transposed = rows > columns;
        var small = Math.Min(rows, columns);
        work.AsSpan(0, n * n).Clear();
        var sign = maximize ? -1.0 : 1.0;
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < columns; j++)
            {
                var value = cost[i * columns + j];
                if (!double.IsFinite(value))
                    throw new ArgumentException($"Cost matrix entry ({i}, {j}) is {value}; linear assignment needs finite costs " +
                                                "(mark forbidden pairs with a large finite cost instead).", nameof(cost));
                work[transposed ? j * n + i : i * n + j] = sign * value;
            }

        var x = new int[n];
        var y = new int[n];
        var v = new double[n];
        JonkerVolgenant.Solve(work, n, x, y, v);

        // Row duals of the square problem; then shift so that the dummy rows' columns get v = 0 (see Assignment).
        var u = new double[n];
        for (var i = 0; i < n; i++) u[i] = work[i * n + x[i]] - v[x[i]];
        var shift = small < n ? v.Max() : 0.0;
        var shortDuals = new double[small];
        for (var i = 0; i < small; i++) shortDuals[i] = sign * (u[i] + shift);
        var longDuals = v.Select(vj => sign * (vj - shift)).ToArray();

        var shortToLong = x[..small];
        var longToShort = y.Select(i => i < small ? i : -1).ToArray();
        var (rowToColumn, columnToRow) = transposed ? (longToShort, shortToLong) : (shortToLong, longToShort);
        var objective = 0.0;
        for (var i = 0; i < rows; i++)
            if (rowToColumn[i] >= 0) objective += cost[i * columns + rowToColumn[i]];
        return transposed
            ? new Assignment(rowToColumn, columnToRow, longDuals, shortDuals, objective, maximize)
            : new Assignment(rowToColumn, columnToRow, shortDuals, longDuals, objective, maximize);
    }

    /// <summary>Solves the problem for a square row-major cost matrix.</summary>
    public static Assignment Solve(ReadOnlySpan<double> cost, int n, bool maximize = false) => Solve(cost, n, n, maximize);

    /// <summary>Solves the problem for a two-dimensional cost array.</summary>
    public static Assignment Solve(double[,] cost, bool maximize = false)
    {
        var (rows, columns) = (cost.GetLength(0), cost.GetLength(1));
        var flat = new double[rows * columns];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < columns; j++)
                flat[i * columns + j] = cost[i, j];
        return Solve(flat, rows, columns, maximize);
    }
}
