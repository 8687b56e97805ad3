namespace AsymNet.Tensors;

/// <summary>
/// Explicit random generator: xoshiro256** (Blackman and Vigna, 2018) seeded through SplitMix64.
/// Floats take the top 24 bits, doubles the top 53; normals use the Box–Muller transform (both values used).
/// Same seed, same sequence, on every machine. No global instance exists: pass generators explicitly.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    public Rng(ulong seed)
    {
        var sm = seed;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// <summary>
    /// A generator keyed by (seed, key), e.g. (architecture seed, layer name). The key is hashed with 64-bit
    /// FNV-1a over its UTF-16 code units, which is stable across processes (unlike string.GetHashCode).
    /// </summary>
    public static Rng ForKey(ulong seed, string key)
    {
        var h = 14695981039346656037UL;
        foreach (var c in key)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        var mix = seed ^ 0x9E3779B97F4A7C15UL;
        return new Rng(SplitMix64(ref mix) ^ h);
    }

    /// <summary>An independent child generator derived from this one's next output and a key.</summary>
    public Rng Fork(string key) => ForKey(NextUInt64(), key);

    public ulong NextUInt64()
    {
        var result = RotL(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotL(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        var range = (ulong)n;
        var threshold = (0UL - range) % range;
        while (true)
        {
            var x = NextUInt64();
            var hi = Math.BigMul(x, range, out var lo);
            if (lo >= threshold) return (int)hi;
        }
    }

    public float Uniform(float low, float high) => low + (high - low) * NextFloat();

    /// <summary>Standard normal by Box–Muller; the second value of each pair is returned by the next call.</summary>
    public double NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareNormal;
        }
        double u1;
        do u1 = NextDouble(); while (u1 <= double.Epsilon);
        var u2 = NextDouble();
        var r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = r * Math.Sin(2 * Math.PI * u2);
        _hasSpare = true;
        return r * Math.Cos(2 * Math.PI * u2);
    }

    public void FillUniform(Span<float> dst, float low, float high)
    {
        for (var i = 0; i < dst.Length; i++) dst[i] = Uniform(low, high);
    }

    public void FillNormal(Span<float> dst, float mean = 0f, float std = 1f)
    {
        for (var i = 0; i < dst.Length; i++) dst[i] = (float)(mean + std * NextNormal());
    }

    /// <summary>A uniformly random permutation of 0..n-1 (Fisher–Yates, from the end).</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (var i = 0; i < n; i++) p[i] = i;
        Shuffle(p);
        return p;
    }

    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>k distinct values from 0..n-1, uniformly, in sorted order (partial Fisher–Yates).</summary>
    public int[] Subset(int n, int k)
    {
        if (k < 0 || k > n) throw new ArgumentOutOfRangeException(nameof(k), $"Cannot choose {k} of {n}.");
        var p = new int[n];
        for (var i = 0; i < n; i++) p[i] = i;
        for (var i = 0; i < k; i++)
        {
            var j = i + NextInt(n - i);
            (p[i], p[j]) = (p[j], p[i]);
        }
        var s = p.AsSpan(0, k).ToArray();
        Array.Sort(s);
        return s;
    }

    private static ulong RotL(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
