namespace AsymNet.Tensors;

/// <summary>Work cut into a fixed number of chunks that write disjoint outputs (or their own partial sums).</summary>
internal interface IChunkJob
{
    /// <summary>Runs chunk <paramref name="chunk"/>; <paramref name="participant"/> (0 = the caller, 1 = the worker) picks
    /// per-thread scratch.</summary>
    void RunChunk(int chunk, int participant);
}

/// <summary>
/// Runs the chunks of a job on the calling thread and, when the threading policy gives two or more cores, on one
/// persistent worker thread as well, both claiming chunks from a shared counter. The caller never waits for the worker
/// to wake up: on a loaded machine it may do every chunk itself, and it only waits for a chunk the worker has already
/// claimed. Chunks are defined by the job, never by the number of threads or who runs them, so results are identical
/// for every thread setting and every interleaving (reductions keep per-chunk partial sums, added in chunk order). A
/// job started while the worker serves another runs on the caller alone. Allocates nothing per job. Between jobs the
/// worker spins for a short while before it blocks: a training step's parallel ops come tens to hundreds of
/// microseconds apart, and a worker woken from a blocking wait arrives after the caller has done most of the chunks.
/// </summary>
internal sealed class ParallelChunks
{
    private static readonly Lazy<ParallelChunks> Instance = new(() => new ParallelChunks());

    private readonly SemaphoreSlim _wake = new(0);
    private readonly object _gate = new(); // Monitor: lock + Wait/Pulse
    private readonly Lock _owner = new();
    private IChunkJob? _job;
    private int _chunks, _next, _participants;
    private long _jobId; // incremented per published job, so the worker joins each job at most once
    private int _sleeping; // 1 while the worker blocks (or is about to) on _wake: only then does a caller release it
    private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _error;

    /// <summary>How long the idle worker polls for the next job before blocking (about two ResNet20 norm layers).</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 5000; // 200 µs

    private ParallelChunks()
    {
        new Thread(Loop) { IsBackground = true, Name = "AsymNet op worker" }.Start();
    }

    /// <summary>Set on a thread to run its jobs inline (tests compare both ways; no other thread is affected).</summary>
    [ThreadStatic] internal static bool Serial;

    /// <summary>Whether ops should cut their work into chunks for a second thread (the policy gives it two cores).</summary>
    public static bool TwoCores => !Serial && AsymNet.Tensors.Gemm.Blas.Current.Threads >= 2;

    /// <summary>Runs chunks 0 .. <paramref name="chunks"/> − 1 of <paramref name="job"/>; returns when all are done.</summary>
    public static void Run(IChunkJob job, int chunks)
    {
        if (chunks <= 1 || !TwoCores)
        {
            for (var c = 0; c < chunks; c++) job.RunChunk(c, 0);
            return;
        }
        var self = Instance.Value;
        // A chunk that runs a parallel op itself (or a job on the worker) runs it inline.
        if (self._owner.IsHeldByCurrentThread || !self._owner.TryEnter())
        {
            for (var c = 0; c < chunks; c++) job.RunChunk(c, 0);
            return;
        }
        try
        {
            lock (self._gate)
            {
                (self._job, self._chunks, self._next, self._error) = (job, chunks, 0, null);
                Volatile.Write(ref self._jobId, self._jobId + 1);
            }
            if (Interlocked.Exchange(ref self._sleeping, 0) == 1) self._wake.Release();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo? mine = null;
            try
            {
                int c;
                while ((c = Interlocked.Increment(ref self._next) - 1) < chunks) job.RunChunk(c, 0);
            }
            catch (Exception e)
            {
                mine = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                Interlocked.Exchange(ref self._next, chunks); // stop handing out chunks
            }
            lock (self._gate)
            {
                // Close the job; then wait until a worker that joined has finished its chunk.
                self._job = null;
                while (self._participants > 0) Monitor.Wait(self._gate);
            }
            // The chunk's own exception, as when the job runs inline.
            mine?.Throw();
            self._error?.Throw();
        }
        finally
        {
            self._owner.Exit();
        }
    }

    private void Loop()
    {
        long joined = 0;
        while (true)
        {
            if (!SpinForJob(joined)) Sleep(joined);
            IChunkJob job;
            int chunks;
            lock (_gate)
            {
                // No job, or the one already served: the caller finished before this thread got to it.
                if (_job is null || _jobId == joined) continue;
                (job, chunks, joined) = (_job, _chunks, _jobId);
                _participants++;
            }
            try
            {
                int c;
                while ((c = Interlocked.Increment(ref _next) - 1) < chunks) job.RunChunk(c, 1);
            }
            catch (Exception e)
            {
                _error = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                Interlocked.Exchange(ref _next, chunks);
            }
            lock (_gate)
            {
                _participants--;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>
    /// Blocks until a caller releases the worker. The flag is raised before the last look for a job (both sides use
    /// full fences), so either the caller sees it and releases, or this thread sees the job; if both, the release that
    /// the caller owes is consumed here, so the semaphore never holds more than one stale count.
    /// </summary>
    private void Sleep(long joined)
    {
        Interlocked.Exchange(ref _sleeping, 1);
        if (Volatile.Read(ref _jobId) == joined || Interlocked.Exchange(ref _sleeping, 0) == 0) _wake.Wait();
    }

    /// <summary>Polls for a job newer than <paramref name="joined"/> for up to <see cref="SpinTicks"/>.</summary>
    private bool SpinForJob(long joined)
    {
        var deadline = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
        while (Volatile.Read(ref _jobId) == joined)
        {
            if (System.Diagnostics.Stopwatch.GetTimestamp() > deadline) return false;
            Thread.SpinWait(32);
        }
        return true;
    }
}
