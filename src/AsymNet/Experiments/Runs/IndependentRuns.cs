using System.Runtime.ExceptionServices;
using AsymNet.Tensors;
using AsymNet.Tensors.Gemm;

namespace AsymNet.Experiments.Runs;

/// <summary>
/// Independent jobs (zoo members, sweep points, LMC pairs) side by side: <c>parallel</c> dedicated threads take job
/// indices in order from a shared counter, with BLAS single-threaded while they run (two small networks on two cores
/// beat one network with two BLAS threads: no synchronisation inside tiny GEMMs, no spinning BLAS workers). A job's
/// result depends only on its index (its seeds), never on which thread ran it or when, so results are the same as
/// running the jobs one after another with one BLAS thread. The threading policy <c>runs[:N]</c> chooses N.
/// </summary>
public static class IndependentRuns
{
    /// <summary>Runs job(0) … job(count − 1) on <paramref name="parallel"/> threads; the first exception is rethrown
    /// after every thread has stopped taking new jobs.</summary>
    public static void Run(int count, int parallel, Action<int> job)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        var blas = Blas.Current;
        var threadsBefore = blas.Threads;
        blas.Threads = 1;
        var next = -1;
        ExceptionDispatchInfo? failure = null;
        try
        {
            var workers = Enumerable.Range(0, Math.Min(parallel, Math.Max(count, 1))).Select(w => new Thread(() =>
            {
                int i;
                while (Volatile.Read(ref failure) is null && (i = Interlocked.Increment(ref next)) < count)
                {
                    try
                    {
                        job(i);
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                    }
                }
            }) { IsBackground = true, Name = $"asym-run-{w}" }).ToList();
            foreach (var t in workers) t.Start();
            foreach (var t in workers) t.Join();
        }
        finally
        {
            blas.Threads = threadsBefore;
        }
        failure?.Throw();
    }

    /// <summary>How many jobs <see cref="ThreadingPolicy.Current"/> runs side by side (1 unless the policy is runs).</summary>
    public static int PolicyParallelism => ThreadingPolicy.Current.Mode == ThreadingMode.Runs ? ThreadingPolicy.Current.ParallelRuns : 1;
}
