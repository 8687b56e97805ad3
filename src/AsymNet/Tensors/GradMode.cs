namespace AsymNet.Tensors;

/// <summary>Per-thread switch for recording autograd history (PyTorch's grad mode).</summary>
public static class GradMode
{
    [ThreadStatic] private static int _disabledDepth;

    public static bool Enabled => _disabledDepth == 0;

    /// <summary>Disables recording until the returned token is disposed: <c>using (GradMode.NoGrad()) { ... }</c>.</summary>
    public static NoGradToken NoGrad()
    {
        _disabledDepth++;
        return new NoGradToken();
    }

    public readonly struct NoGradToken : IDisposable
    {
        public void Dispose() => _disabledDepth--;
    }
}
