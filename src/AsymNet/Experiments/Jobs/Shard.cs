using System.Globalization;

namespace AsymNet.Experiments.Jobs;

/// <summary>
/// Which part of a job list a process runs: shard i of N owns the jobs whose index ≡ i (mod N). Jobs are listed so
/// that neighbours cost about the same (every kind of network once per seed), so the round-robin split is also a
/// balanced one. Every shard writes into the same run folder; job files never collide because each job has its own.
/// </summary>
public readonly record struct Shard(int Index, int Count)
{
    public static Shard All => new(0, 1);

    public bool IsAll => Count == 1;

    public bool Owns(int jobIndex) => jobIndex % Count == Index;

    /// <summary>Parses "i/N" with 0 ≤ i &lt; N.</summary>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && i < n)
            return new Shard(i, n);
        throw new ArgumentException($"--shard must be i/N with 0 ≤ i < N (e.g. 0/4), not '{text}'.");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
