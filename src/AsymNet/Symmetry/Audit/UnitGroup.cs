namespace AsymNet.Symmetry.Audit;

/// <summary>A state-dict tensor and the axis along which it is indexed by a group's units.</summary>
public readonly record struct AxisRef(string Key, int Axis);

/// <summary>
/// A set of interchangeable hidden units (neurons or channels) of a standard network: permuting every tensor in
/// <see cref="Permuted"/> along its axis by the same permutation leaves the function unchanged. When
/// <see cref="Rescalable"/> (a positively homogeneous activation such as ReLU follows), multiplying
/// <see cref="ScaledUp"/> (along axis 0) by c_j &gt; 0 and <see cref="ScaledDown"/> by 1/c_j is a symmetry too.
/// </summary>
public sealed record UnitGroup(
    string Name, int Size, IReadOnlyList<AxisRef> Permuted, bool Rescalable,
    IReadOnlyList<string> ScaledUp, IReadOnlyList<AxisRef> ScaledDown);
