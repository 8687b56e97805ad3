namespace AsymNet.Tensors;

/// <summary>
/// Exact-size pool of float arrays. A training step asks for the same sizes every time, so after the first
/// step every request is served from the pool and the step allocates no tensor storage.
/// </summary>
public static class TensorPool
{
    private static readonly Dictionary<int, Stack<float[]>> Buckets = new();
    private static readonly Lock Gate = new();

    /// <summary>Largest number of arrays kept per size; more are left to the garbage collector.</summary>
    public const int MaxPerSize = 256;

    public static float[] Rent(int length)
    {
        if (length == 0) return [];
        lock (Gate)
        {
            if (Buckets.TryGetValue(length, out var stack) && stack.Count > 0) return stack.Pop();
        }
        return GC.AllocateUninitializedArray<float>(length);
    }

    public static void Return(float[] array)
    {
        if (array.Length == 0) return;
        lock (Gate)
        {
            if (!Buckets.TryGetValue(array.Length, out var stack))
                Buckets[array.Length] = stack = new Stack<float[]>();
            if (stack.Count < MaxPerSize) stack.Push(array);
        }
    }

    /// <summary>Drops every pooled array (for tests and memory pressure).</summary>
    public static void Clear()
    {
        lock (Gate) Buckets.Clear();
    }
}
