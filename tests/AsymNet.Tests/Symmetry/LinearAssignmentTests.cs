using AsymNet.Symmetry.Matching;
using AsymNet.Tensors;

namespace AsymNet.Tests.Symmetry;

/// <summary>
/// The LAP solver is optimal: equal to brute force on every small problem (ties and negative costs included), and
/// for large ones certified by its duals (feasible, complementary slack, zero duality gap).
/// </summary>
public class LinearAssignmentTests
{
    public enum Kind { Uniform, Signed, SmallIntegers, Constant, WideRange }

    private static double[] Random(int rows, int cols, Kind kind, Rng rng) =>
        Enumerable.Range(0, rows * cols).Select(_ => kind switch
        {
            Kind.Uniform => rng.NextDouble(),
            Kind.Signed => 200 * rng.NextDouble() - 100,
            Kind.SmallIntegers => rng.NextInt(4) - 2.0, // many ties, many optimal assignments
            Kind.WideRange => (rng.NextInt(2) * 2 - 1) * Math.Pow(10, 12 * rng.NextDouble() - 6), // ±1e-6 … ±1e6
            _ => 3.5,
        }).ToArray();

    [Theory]
    [InlineData(Kind.Uniform)]
    [InlineData(Kind.Signed)]
    [InlineData(Kind.SmallIntegers)]
    [InlineData(Kind.Constant)]
    [InlineData(Kind.WideRange)]
    public void MatchesBruteForceOnSquareProblemsUpToEight(Kind kind)
    {
        var rng = new Rng((ulong)kind + 11);
        for (var n = 0; n <= 8; n++)
            for (var trial = 0; trial < (n <= 6 ? 40 : 6); trial++)
            {
                var c = Random(n, n, kind, rng);
                foreach (var maximize in new[] { false, true })
                {
                    var a = LinearAssignment.Solve(c, n, maximize);
                    var scale = c.Select(Math.Abs).DefaultIfEmpty(0).Max() + 1;
                    Assert.Equal(BruteForce(c, n, n, maximize), a.Objective, 1e-9 * scale);
                    AssertCertified(c, n, n, a, 1e-9 * scale);
                }
            }
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 5)]
    [InlineData(5, 2)]
    [InlineData(3, 7)]
    [InlineData(7, 3)]
    [InlineData(4, 6)]
    [InlineData(0, 3)]
    [InlineData(3, 0)]
    public void MatchesBruteForceOnRectangularProblems(int rows, int cols)
    {
        var rng = new Rng((ulong)(rows * 31 + cols));
        foreach (var kind in new[] { Kind.Signed, Kind.SmallIntegers, Kind.Constant })
            for (var trial = 0; trial < 25; trial++)
            {
                var c = Random(rows, cols, kind, rng);
                foreach (var maximize in new[] { false, true })
                {
                    var a = LinearAssignment.Solve(c, rows, cols, maximize);
                    Assert.Equal(BruteForce(c, rows, cols, maximize), a.Objective, 1e-9);
                    AssertCertified(c, rows, cols, a, 1e-9);
                }
            }
    }

    [Theory]
    [InlineData(50, Kind.Uniform)]
    [InlineData(50, Kind.SmallIntegers)]
    [InlineData(200, Kind.Uniform)]
    [InlineData(200, Kind.Signed)]
    [InlineData(200, Kind.SmallIntegers)]
    [InlineData(512, Kind.Uniform)]
    [InlineData(512, Kind.Signed)]
    [InlineData(512, Kind.SmallIntegers)]
    [InlineData(300, Kind.WideRange)]
    public void LargeSolutionsCarryADualCertificate(int n, Kind kind)
    {
        var rng = new Rng((ulong)n * 7 + (ulong)kind);
        var c = Random(n, n, kind, rng);
        var scale = c.Max(Math.Abs);
        foreach (var maximize in new[] { false, true })
            AssertCertified(c, n, n, LinearAssignment.Solve(c, n, maximize), 1e-9 * n * scale);
    }

    [Theory]
    [InlineData(120, 300)]
    [InlineData(300, 120)]
    [InlineData(1, 700)]
    [InlineData(700, 1)]
    public void LargeRectangularSolutionsCarryADualCertificate(int rows, int cols)
    {
        var c = Random(rows, cols, Kind.Signed, new Rng(5));
        foreach (var maximize in new[] { false, true })
            AssertCertified(c, rows, cols, LinearAssignment.Solve(c, rows, cols, maximize), 1e-7);
    }

    [Fact]
    public void StructuredProblemsHaveTheirKnownOptimum()
    {
        // c_ij = i·j: the anti-diagonal (i ↔ n−1−i) is the unique minimum by the rearrangement inequality.
        const int n = 64;
        var c = new double[n * n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) c[i * n + j] = i * j;
        var a = LinearAssignment.Solve(c, n);
        Assert.Equal(Enumerable.Range(0, n).Select(i => n - 1 - i), a.RowToColumn);
        AssertCertified(c, n, n, a, 1e-9);

        // A hidden permutation scored 1, everything else a small random amount: maximisation recovers it.
        var rng = new Rng(9);
        var perm = rng.Permutation(300);
        var s = Random(300, 300, Kind.Uniform, rng).Select(v => 0.001 * v).ToArray();
        for (var i = 0; i < 300; i++) s[i * 300 + perm[i]] = 1;
        Assert.Equal(perm, LinearAssignment.Solve(s, 300, maximize: true).RowToColumn);
    }

    [Fact]
    public void DegenerateInputs()
    {
        var empty = LinearAssignment.Solve([], 0);
        Assert.Empty(empty.RowToColumn);
        Assert.Equal(0, empty.Objective);

        var one = LinearAssignment.Solve([-4.25], 1);
        Assert.Equal([0], one.RowToColumn);
        Assert.Equal(-4.25, one.Objective);
        Assert.Equal(-4.25, one.RowPotentials[0] + one.ColumnPotentials[0]);

        var equal = Enumerable.Repeat(2.0, 300 * 300).ToArray();
        var a = LinearAssignment.Solve(equal, 300);
        Assert.Equal(600, a.Objective);
        Assert.Equal(Enumerable.Range(0, 300), a.RowToColumn.Order());
        AssertCertified(equal, 300, 300, a, 1e-12);

        var wide = LinearAssignment.Solve([1.0, 2.0, 0.5], 1, 3);
        Assert.Equal([2], wide.RowToColumn);
        Assert.Equal([-1, -1, 0], wide.ColumnToRow);
    }

    [Fact]
    public void RejectsNonFiniteCostsAndWrongSizes()
    {
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var c = new double[12];
            c[7] = bad;
            var e = Assert.Throws<ArgumentException>(() => LinearAssignment.Solve(c, 3, 4));
            Assert.Contains("(1, 3)", e.Message);
            Assert.Contains("finite", e.Message);
        }
        Assert.Throws<ArgumentException>(() => LinearAssignment.Solve(new double[5], 2, 3));
    }

    [Fact]
    public void TwoDimensionalArrayOverload()
    {
        var a = LinearAssignment.Solve(new double[,] { { 4, 1, 3 }, { 2, 0, 5 }, { 3, 2, 2 } });
        Assert.Equal([1, 0, 2], a.RowToColumn);
        Assert.Equal(5, a.Objective);
    }

    /// <summary>The best objective over all injections of the shorter side into the longer one.</summary>
    private static double BruteForce(double[] c, int rows, int cols, bool maximize)
    {
        var best = maximize ? double.NegativeInfinity : double.PositiveInfinity;
        var transposed = rows > cols;
        var (small, large) = transposed ? (cols, rows) : (rows, cols);
        var used = new bool[large];
        void Go(int k, double sum)
        {
            if (k == small)
            {
                best = maximize ? Math.Max(best, sum) : Math.Min(best, sum);
                return;
            }
            for (var j = 0; j < large; j++)
            {
                if (used[j]) continue;
                used[j] = true;
                Go(k + 1, sum + (transposed ? c[j * cols + k] : c[k * cols + j]));
                used[j] = false;
            }
        }
        Go(0, 0);
        return best;
    }

    /// <summary>A valid matching of min(rows, cols) pairs whose duals are feasible, tight on it, and gap-free.</summary>
    internal static void AssertCertified(double[] c, int rows, int cols, Assignment a, double tol)
    {
        Assert.Equal(rows, a.RowToColumn.Length);
        Assert.Equal(cols, a.ColumnToRow.Length);
        var s = a.Maximize ? -1.0 : 1.0;
        var (u, v) = (a.RowPotentials, a.ColumnPotentials);
        var matched = 0;
        var sum = 0.0;
        for (var i = 0; i < rows; i++)
        {
            var j = a.RowToColumn[i];
            if (j < 0) continue;
            matched++;
            Assert.Equal(i, a.ColumnToRow[j]);
            sum += c[i * cols + j];
            Assert.True(Math.Abs(c[i * cols + j] - u[i] - v[j]) <= tol, $"Assigned pair ({i}, {j}) is not tight.");
        }
        Assert.Equal(Math.Min(rows, cols), matched);
        Assert.Equal(Math.Min(rows, cols), a.ColumnToRow.Count(i => i >= 0));
        Assert.Equal(sum, a.Objective, 1e-9 * Math.Max(1, Math.Abs(sum)));
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < cols; j++)
                Assert.True(s * (c[i * cols + j] - u[i] - v[j]) >= -tol, $"Dual infeasible at ({i}, {j}): slack {c[i * cols + j] - u[i] - v[j]}.");
        // The longer side's potentials have the sign of the slack and vanish where unmatched, closing the gap.
        var (longSide, longMatch) = rows > cols ? (u, a.RowToColumn) : (v, a.ColumnToRow);
        for (var k = 0; k < longSide.Length && rows != cols; k++)
        {
            Assert.True(s * longSide[k] <= tol, $"Potential {k} of the longer side has the wrong sign: {longSide[k]}.");
            if (longMatch[k] < 0) Assert.True(Math.Abs(longSide[k]) <= tol, $"Unmatched entry {k} has potential {longSide[k]}.");
        }
        Assert.True(Math.Abs(u.Sum() + v.Sum() - a.Objective) <= tol * Math.Max(1, rows + cols), "Duality gap.");
    }
}
