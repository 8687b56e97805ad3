namespace AsymNet.Tensors.Ops;

/// <summary>A job split into parts that touch disjoint outputs (or their own partial sums).</summary>
internal interface IPartJob
{
    void RunPart(int part, int parts);
}

/// <summary>
/// A dedicated thread that runs part 1 of a two-part job while the calling thread runs part 0, for ops that split
/// their work over the batch (the direct convolution). Kept alive for the process, so a split costs a wake-up and
/// allocates nothing. A caller that finds the worker busy runs both parts itself, one after the other: parts are
/// defined by their index, never by the thread that runs them, so results do not depend on who ran what.
/// </summary>
internal sealed class TwoPartWorker
{
    private static readonly Lazy<TwoPartWorker> Instance = new(() => new TwoPartWorker());

    private readonly SemaphoreSlim _start = new(0);
    private readonly SemaphoreSlim _done = new(0);
    private readonly Lock _busy = new();
    private IPartJob? _job;
    private Exception? _error;

    private TwoPartWorker()
    {
        new Thread(Loop) { IsBackground = true, Name = "AsymNet op worker" }.Start();
    }

    public static TwoPartWorker Shared => Instance.Value;

    /// <summary>How many parts to split into: 2 when the threading policy gives BLAS two or more threads, else 1.</summary>
    public static int Parts => Gemm.Blas.Current.Threads >= 2 ? 2 : 1;

    /// <summary>Runs every part of <paramref name="job"/> (1 or 2 parts) and returns when all are done.</summary>
    public static void Run(IPartJob job, int parts)
    {
        if (parts == 1)
        {
            job.RunPart(0, 1);
            return;
        }
        if (parts != 2) throw new ArgumentOutOfRangeException(nameof(parts), "A job runs in 1 or 2 parts.");
        var worker = Shared;
        if (!worker._busy.TryEnter())
        {
            job.RunPart(0, 2);
            job.RunPart(1, 2);
            return;
        }
        try
        {
            (worker._job, worker._error) = (job, null);
            worker._start.Release();
            try
            {
                job.RunPart(0, 2);
            }
            finally
            {
                // The worker may read the caller's pinned buffers: never return before it is done.
                worker._done.Wait();
            }
            if (worker._error is { } e) throw new InvalidOperationException("Op worker failed.", e);
        }
        finally
        {
            worker._job = null;
            worker._busy.Exit();
        }
    }

    private void Loop()
    {
        while (true)
        {
            _start.Wait();
            try
            {
                _job!.RunPart(1, 2);
            }
            catch (Exception e)
            {
                _error = e;
            }
            _done.Release();
        }
    }
}
