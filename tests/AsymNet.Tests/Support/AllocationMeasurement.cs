namespace AsymNet.Tests.Support;

/// <summary>
/// Tests that bound allocated bytes join this collection: TensorPool is process-wide, so a test running in parallel
/// can take the buffers a measured step expects to reuse and make it allocate. xunit runs this collection alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasurement
{
    public const string Name = "allocation measurement";
}
