using System.Globalization;
using System.Text.Json.Serialization;
using AsymNet.Tensors.Gemm;

namespace AsymNet.Tensors;

[JsonConverter(typeof(JsonStringEnumConverter<ThreadingMode>))]
public enum ThreadingMode
{
    /// <summary>One run at a time; BLAS uses every core.</summary>
    Auto,

    /// <summary>One run at a time; BLAS uses the given number of threads.</summary>
    Blas,

    /// <summary>Independent runs in parallel (zoo members, sweep points), each with single-threaded BLAS.</summary>
    Runs,
}

/// <summary>
/// How this process spends its cores: BLAS threads inside one run, or several independent runs side by side (the
/// two do not mix well on two cores: OpenBLAS threads spin while waiting, and two runs each with two BLAS threads
/// oversubscribe). Set once at start-up from <c>--threads</c> or ASYM_THREADS (text forms: <c>auto</c>, <c>N</c>,
/// <c>runs</c>, <c>runs:N</c>), applied to <see cref="Blas.Current"/>, and recorded in run manifests.
/// </summary>
public sealed record ThreadingPolicy(ThreadingMode Mode, int BlasThreads, int ParallelRuns, string Source)
{
    public const string Variable = "ASYM_THREADS";

    private static ThreadingPolicy? _current;

    /// <summary>The policy in force: the one <see cref="Configure"/> set, else ASYM_THREADS, else auto.</summary>
    public static ThreadingPolicy Current => _current ??= FromEnvironment();

    /// <summary>The text form, e.g. "auto", "2", "runs:2" (what <see cref="Parse"/> reads back).</summary>
    public string Text => Mode switch
    {
        ThreadingMode.Auto => "auto",
        ThreadingMode.Blas => BlasThreads.ToString(CultureInfo.InvariantCulture),
        _ => $"runs:{ParallelRuns}",
    };

    public static ThreadingPolicy Auto(int cores, string source) => new(ThreadingMode.Auto, Math.Max(1, cores), 1, source);

    /// <summary>Reads "auto", "N" (BLAS threads), "runs" (one run per core) or "runs:N".</summary>
    /// <exception cref="FormatException">The text is none of these; the message lists the forms.</exception>
    public static ThreadingPolicy Parse(string text, int cores, string source)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "auto") return Auto(cores, source);
        if (t == "runs") return new(ThreadingMode.Runs, 1, Math.Max(1, cores), source);
        if (t.StartsWith("runs:", StringComparison.Ordinal) && PositiveInt(t[5..]) is { } runs) return new(ThreadingMode.Runs, 1, runs, source);
        if (PositiveInt(t) is { } n) return new(ThreadingMode.Blas, n, 1, source);
        throw new FormatException($"{source}: '{text}' is not a threading policy; use auto, N (BLAS threads), runs or runs:N (parallel runs, single-threaded BLAS).");
    }

    /// <summary>The policy from ASYM_THREADS, or auto when it is unset.</summary>
    public static ThreadingPolicy FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        return string.IsNullOrWhiteSpace(text) ? Auto(Environment.ProcessorCount, "default") : Parse(text, Environment.ProcessorCount, Variable);
    }

    /// <summary>Makes <paramref name="policy"/> the process's policy and applies it to the BLAS in use.</summary>
    public static void Configure(ThreadingPolicy policy)
    {
        _current = policy;
        Blas.Current.Threads = policy.BlasThreads;
    }

    private static int? PositiveInt(string s) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
