using AsymNet.NN.Models;
using AsymNet.Symmetry.Matching;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// Timed workloads for the benchmark command, each prepared once (inputs built outside the timed call) and then run
/// repeatedly (<c>asym bench</c> workloads lap-512 and rebasin-mlp4; their PyTorch/SciPy peers are in bench/torch_bench.py).
/// </summary>
public static class MatchingWorkloads
{
    /// <summary>Linear assignment on n×n matrices of uniform [0, 1) float64 costs (SciPy's usual benchmark input).
    /// Each call of the returned action solves the next of <paramref name="matrices"/> prepared matrices
    /// (minimisation) and returns the optimal cost; difficulty varies between matrices, so time several calls.</summary>
    public static Func<double> LinearAssignmentUniform(int n = 512, ulong seed = 1, int matrices = 8)
    {
        var rng = new Rng(seed);
        var costs = new double[matrices][];
        for (var k = 0; k < matrices; k++)
        {
            costs[k] = new double[n * n];
            for (var i = 0; i < costs[k].Length; i++) costs[k][i] = rng.NextDouble();
        }
        var next = 0;
        return () => LinearAssignment.Solve(costs[next++ % matrices], n).Objective;
    }

    /// <summary>Git Re-Basin weight matching of two independently initialised standard LMC MLPs (784-512-512-512-10,
    /// LayerNorm): the returned action matches the second to the first.</summary>
    public static Func<WeightMatchingResult> WeightMatchingMlp4(ulong seedA = 1, ulong seedB = 2, ulong matchSeed = 0)
    {
        var config = ModelFactory.Preset("mlp", "standard");
        var (a, b) = (ModelFactory.Create(config, seedA), ModelFactory.Create(config, seedB));
        var spec = PermutationSpec.For(a);
        var (sa, sb) = (a.StateDict().ToDictionary(), b.StateDict().ToDictionary());
        return () => WeightMatching.Match(spec, sa, sb, new Rng(matchSeed));
    }
}
