namespace AsymNet.Tensors.Gemm;

/// <summary>
/// The process-wide GEMM provider, chosen once at start-up (like Math.NET's provider control).
/// Defaults to the managed kernel until <see cref="Use"/> is called.
/// </summary>
public static class Blas
{
    private static IGemm _current = new ManagedGemm();

    public static IGemm Current => _current;

    public static void Use(IGemm gemm) => _current = gemm;
}
