namespace AsymNet.Tensors.Gemm;

/// <summary>
/// The process-wide GEMM provider. Chosen on first use: ASYM_BLAS=openblas|managed|managed:BITS forces one (an error
/// when OpenBLAS is forced but cannot be loaded); otherwise OpenBLAS when libopenblas.so.0 loads, else the managed
/// kernel. Its thread count follows <see cref="ThreadingPolicy.Current"/>.
/// </summary>
public static class Blas
{
    public const string Variable = "ASYM_BLAS";

    private static readonly Lock Gate = new();
    private static IGemm? _current;

    public static IGemm Current => _current ?? Initialize();

    /// <summary>Replaces the provider (tests, benchmarks); it gets the policy's thread count.</summary>
    public static void Use(IGemm gemm)
    {
        gemm.Threads = ThreadingPolicy.Current.BlasThreads;
        _current = gemm;
    }

    /// <summary>
    /// The provider a choice names: null, empty or "auto" = OpenBLAS if it loads, else managed; "openblas";
    /// "managed" (widest vectors) or "managed:512|256|128".
    /// </summary>
    /// <exception cref="InvalidOperationException">OpenBLAS is asked for but does not load, or the choice is unknown.</exception>
    public static IGemm Select(string? choice, string source = Variable)
    {
        var c = choice?.Trim().ToLowerInvariant() ?? "";
        if (c is "" or "auto") return OpenBlasGemm.Instance ?? (IGemm)new ManagedGemm();
        if (c == "openblas")
            return OpenBlasGemm.Instance ?? throw new InvalidOperationException($"{source}=openblas, but {OpenBlasGemm.LoadError}.");
        if (c == "managed") return new ManagedGemm();
        if (c.StartsWith("managed:", StringComparison.Ordinal) && int.TryParse(c[8..], out var bits))
        {
            try
            {
                return new ManagedGemm(bits);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new InvalidOperationException($"{source}={choice}: {e.Message}", e);
            }
        }
        throw new InvalidOperationException($"{source}='{choice}' is unknown; use openblas, managed, managed:512, managed:256, managed:128 or auto.");
    }

    private static IGemm Initialize()
    {
        lock (Gate)
        {
            if (_current is null)
            {
                var gemm = Select(Environment.GetEnvironmentVariable(Variable));
                gemm.Threads = ThreadingPolicy.Current.BlasThreads;
                _current = gemm;
            }
            return _current;
        }
    }
}
