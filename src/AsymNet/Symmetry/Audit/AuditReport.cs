namespace AsymNet.Symmetry.Audit;

/// <summary>
/// How much a model's outputs moved under a parameter transformation. <see cref="RelativeChange"/> is the mean
/// absolute change over the mean absolute output: ~1e-7 (float rounding) for a symmetry, order 0.1–1 otherwise.
/// <see cref="Groups"/> = 0 means the transformation does not apply (e.g. rescaling without ReLU).
/// </summary>
public sealed record AuditReport(SymmetryTransform Transform, int Groups, int Units, double MaxAbsChange, double MeanAbsChange, double MeanAbsOutput)
{
    public bool Applicable => Groups > 0;
    public double RelativeChange => MeanAbsOutput > 0 ? MeanAbsChange / MeanAbsOutput : MeanAbsChange;

    /// <summary>Relative change below which the function counts as preserved (float32 rounding is ~1e-7).</summary>
    public const double PreservedThreshold = 1e-4;

    public bool FunctionPreserved => RelativeChange < PreservedThreshold;
}
