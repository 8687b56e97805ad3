using AsymNet.NN.Models;
using AsymNet.Symmetry.Audit;
using AsymNet.Tensors;

namespace AsymNet.Symmetry.Matching;

/// <summary>One hidden permutation: its name, size and every (state-dict key, axis) it acts on.</summary>
public sealed record PermutationGroup(string Name, int Size, IReadOnlyList<AxisRef> Axes);

/// <summary>
/// Which permutation acts on which axis of which state-dict tensor (Git Re-Basin's permutation spec). Derived from the
/// model's structure through <see cref="UnitGroups"/>, not written per model: a ResNet's residual stream is one
/// permutation shared by every block of a stage, norm affine parameters and BatchNorm running statistics follow their
/// channels. Convention (as the authors'): perm[i] is the unit of B matched to unit i of A, and applying it means
/// B'[…, i, …] = B[…, perm[i], …] along every axis the permutation acts on.
/// </summary>
public sealed class PermutationSpec
{
    private readonly Dictionary<string, int[]> _axes;

    /// <param name="groups">The permutations.</param>
    /// <param name="shapes">Shape of every tensor of the state dict the spec applies to.</param>
    /// <param name="objectiveKeys">Tensors that count in the matching objective (trainable parameters); other
    /// permuted tensors (running statistics) are only carried along.</param>
    public PermutationSpec(IReadOnlyList<PermutationGroup> groups, IReadOnlyDictionary<string, int[]> shapes, IEnumerable<string> objectiveKeys)
    {
        Permutations = groups;
        Shapes = shapes;
        _axes = [];
        for (var p = 0; p < groups.Count; p++)
            foreach (var (key, axis) in groups[p].Axes)
            {
                if (!shapes.TryGetValue(key, out var shape))
                    throw new ArgumentException($"Permutation '{groups[p].Name}' names '{key}', which is not in the state dict.");
                if (axis < 0 || axis >= shape.Length || shape[axis] != groups[p].Size)
                    throw new ArgumentException($"Permutation '{groups[p].Name}' of size {groups[p].Size} cannot act on axis {axis} of '{key}' {ShapeUtil.Format(shape)}.");
                if (!_axes.TryGetValue(key, out var perAxis)) _axes[key] = perAxis = Enumerable.Repeat(-1, shape.Length).ToArray();
                if (perAxis[axis] >= 0)
                    throw new ArgumentException($"Axis {axis} of '{key}' is claimed by both '{groups[perAxis[axis]].Name}' and '{groups[p].Name}'.");
                perAxis[axis] = p;
            }
        ObjectiveKeys = objectiveKeys.Where(_axes.ContainsKey).ToHashSet();
    }

    /// <summary>The spec of a model's hidden-unit permutations (MLP: one per hidden layer; CIFAR ResNet: one per block
    /// inside it plus one residual stream per stage; GNN: one per message-passing layer).</summary>
    public static PermutationSpec For(Model model)
    {
        var groups = UnitGroups.For(model).Select(g => new PermutationGroup(g.Name, g.Size, g.Permuted)).ToList();
        var shapes = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Shape);
        return new PermutationSpec(groups, shapes, model.NamedParameters().Select(p => p.Name));
    }

    public IReadOnlyList<PermutationGroup> Permutations { get; }

    public IReadOnlyDictionary<string, int[]> Shapes { get; }

    /// <summary>Permuted tensors that count in the matching objective.</summary>
    public IReadOnlySet<string> ObjectiveKeys { get; }

    /// <summary>Every permuted tensor's key.</summary>
    public IEnumerable<string> PermutedKeys => _axes.Keys;

    /// <summary>Per axis of <paramref name="key"/>, the index of the permutation acting on it, or −1; null for
    /// tensors no permutation touches.</summary>
    public IReadOnlyList<int>? AxesOf(string key) => _axes.GetValueOrDefault(key);

    /// <summary>The identity permutation of every group.</summary>
    public int[][] Identity() => Permutations.Select(g => Enumerable.Range(0, g.Size).ToArray()).ToArray();

    /// <summary>How many units a permutation moves (i with perm[i] ≠ i).</summary>
    public static int MovedUnits(IReadOnlyList<int> perm) => perm.Where((j, i) => j != i).Count();

    /// <summary>inverse[perm[i]] = i.</summary>
    public static int[] Inverse(IReadOnlyList<int> perm)
    {
        var inverse = new int[perm.Count];
        for (var i = 0; i < perm.Count; i++) inverse[perm[i]] = i;
        return inverse;
    }

    /// <summary>
    /// A new state dict with every permuted tensor replaced by a permuted copy; untouched tensors are shared, not
    /// copied. Checks that the state dict has the spec's shapes and that each permutation is one of its size.
    /// </summary>
    public Dictionary<string, Tensor> Apply(IReadOnlyDictionary<string, Tensor> state, IReadOnlyList<IReadOnlyList<int>> perms)
    {
        CheckPermutations(perms);
        CheckState(state, "state dict");
        var arrays = perms.Select(p => p.ToArray()).ToArray();
        var result = new Dictionary<string, Tensor>(state.Count);
        foreach (var (key, tensor) in state)
        {
            if (!_axes.ContainsKey(key))
            {
                result[key] = tensor;
                continue;
            }
            var copy = Tensor.Persistent(tensor.Shape);
            AxisGather.Gather(tensor.Span, tensor.Shape, -1, PermsOf(key, arrays), copy.Span);
            result[key] = copy;
        }
        return result;
    }

    /// <summary>Per axis of a permuted tensor, the permutation acting on it or null.</summary>
    internal int[]?[] PermsOf(string key, int[][] perms) => _axes[key].Select(p => p < 0 ? null : perms[p]).ToArray();

    /// <summary>Throws unless <paramref name="perms"/> holds one permutation of the right size per group.</summary>
    public void CheckPermutations(IReadOnlyList<IReadOnlyList<int>> perms)
    {
        if (perms.Count != Permutations.Count)
            throw new ArgumentException($"Expected {Permutations.Count} permutations, got {perms.Count}.");
        for (var p = 0; p < perms.Count; p++)
            if (!IsPermutation(perms[p], Permutations[p].Size))
                throw new ArgumentException($"'{Permutations[p].Name}' needs a permutation of 0..{Permutations[p].Size - 1}.");
    }

    private static bool IsPermutation(IReadOnlyList<int> perm, int size)
    {
        if (perm.Count != size) return false;
        var seen = new bool[size];
        foreach (var i in perm)
        {
            if (i < 0 || i >= size || seen[i]) return false;
            seen[i] = true;
        }
        return true;
    }

    /// <summary>Throws unless every tensor the spec names is present with the spec's shape.</summary>
    public void CheckState(IReadOnlyDictionary<string, Tensor> state, string what)
    {
        foreach (var key in _axes.Keys)
        {
            if (!state.TryGetValue(key, out var t))
                throw new ArgumentException($"The {what} has no tensor '{key}'.");
            if (!ShapeUtil.SameShape(t.Shape, Shapes[key]))
                throw new ArgumentException($"'{key}' in the {what} has shape {ShapeUtil.Format(t.Shape)}, the spec expects {ShapeUtil.Format(Shapes[key])}.");
        }
    }
}
