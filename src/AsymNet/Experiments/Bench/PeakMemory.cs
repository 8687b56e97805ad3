using System.Globalization;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// The process's peak resident set size over one repetition, measured the same way on both sides of the benchmark:
/// writing "5" to /proc/self/clear_refs resets the kernel's high-water mark (VmHWM) to the current resident set,
/// and VmHWM in /proc/self/status is read when the repetition ends. The peak includes everything the process holds (the
/// .NET runtime or the Python interpreter with torch, and the datasets the workloads keep loaded); the resident set at
/// the reset (VmRSS) is recorded too, so peak − baseline is what the repetition itself added. Where /proc is
/// unavailable the figures fall back to <see cref="System.Diagnostics.Process.PeakWorkingSet64"/> (not resettable).
/// </summary>
public static class PeakMemory
{
    /// <summary>
    /// Returns pooled tensor storage and garbage to the OS, reads the resident set (MiB), the baseline the repetition's
    /// own memory is measured above, then restarts the high-water mark. Reading the baseline after the reset let it
    /// exceed the later peak (the kernel updates its resident-set counters lazily and approximately), so peak − baseline could be negative.
    /// </summary>
    public static double Reset()
    {
        Tensors.TensorPool.Clear();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var baseline = Status("VmRSS:") ?? Environment.WorkingSet / (1024.0 * 1024.0);
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // No resettable high-water mark here; Megabytes() reports the process's lifetime peak.
        }
        return baseline;
    }

    /// <summary>
    /// Peak resident set size in MiB since the <see cref="Reset"/> that returned <paramref name="baseline"/>; never below
    /// it, since the process held at least that much when the repetition started.
    /// </summary>
    public static double Megabytes(double baseline)
    {
        if (Status("VmHWM:") is { } peak) return Math.Max(peak, baseline);
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return Math.Max(self.PeakWorkingSet64 / (1024.0 * 1024.0), baseline);
    }

    /// <summary>A kB field of /proc/self/status in MiB, or null where there is none.</summary>
    private static double? Status(string field)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith(field, StringComparison.Ordinal))
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // Not Linux, or no such field.
        }
        return null;
    }
}
