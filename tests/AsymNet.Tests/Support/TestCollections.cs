namespace AsymNet.Tests.Support;

/// <summary>Tests that capture Console.Out, run alone so no other test's output lands in the capture.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCaptureCollection
{
    public const string Name = "console capture";
}

/// <summary>Tests that change the process's BLAS thread count, so they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BlasThreadsCollection
{
    public const string Name = "blas threads";
}
