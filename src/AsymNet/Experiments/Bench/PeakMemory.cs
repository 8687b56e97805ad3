using System.Globalization;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// The process's peak resident set size over one repetition, measured the same way on both sides of the benchmark:
/// writing "5" to /proc/self/clear_refs resets the kernel's high-water mark (VmHWM) to the current resident set,
/// and VmHWM in /proc/self/status is read when the repetition ends. It includes everything the process holds (the
/// .NET runtime or the Python interpreter with torch, and the datasets the workloads keep loaded). Where /proc is
/// unavailable the figure falls back to <see cref="System.Diagnostics.Process.PeakWorkingSet64"/> (not resettable).
/// </summary>
public static class PeakMemory
{
    /// <summary>Returns pooled tensor storage and garbage to the OS, then restarts the high-water mark.</summary>
    public static void Reset()
    {
        Tensors.TensorPool.Clear();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // No resettable high-water mark here; Megabytes() reports the process's lifetime peak.
        }
    }

    /// <summary>Peak resident set size in MiB since the last <see cref="Reset"/>.</summary>
    public static double Megabytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // Fall through.
        }
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
