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
/// job started while the worker serves another runs on the caller alone. Allocates nothing per job.
/// A training step runs about a hundred of these jobs tens to hundreds of microseconds apart, so the hand-over is
/// lock-free: the job's sequence number and next chunk share one 64-bit word that both sides claim from with a
/// compare-and-swap (a worker still holding an old sequence number can claim nothing), each finished chunk bumps a
/// done counter that the caller spins on, and between jobs the worker polls for 200 µs before it blocks.
/// </summary>
internal sealed class ParallelChunks
{
    private static readonly Lazy<ParallelChunks> Instance = new(() => new ParallelChunks());

    private readonly SemaphoreSlim _wake = new(0);
    private readonly Lock _owner = new();
    private IChunkJob? _job;
    private int _chunks;
    private long _state; // job sequence number << 32 | next unclaimed chunk
    private int _done;   // chunks of the current job finished (or skipped after a failure)
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
            (self._job, self._chunks, self._done, self._error) = (job, chunks, 0, null);
            var sequence = (Volatile.Read(ref self._state) >> 32) + 1;
            Interlocked.Exchange(ref self._state, sequence << 32); // publishes the fields above
            if (Interlocked.Exchange(ref self._sleeping, 0) == 1) self._wake.Release();
            self.Serve(job, chunks, sequence, participant: 0);
            var spin = new SpinWait();
            while (Volatile.Read(ref self._done) < chunks) spin.SpinOnce(sleep1Threshold: -1); // only chunks the worker is running; never Sleep(1)
            // Close the sequence before the fields can change: a worker that read it late can claim nothing.
            Interlocked.Exchange(ref self._state, sequence << 32 | int.MaxValue);
            self._job = null;
            self._error?.Throw();
        }
        finally
        {
            self._owner.Exit();
        }
    }

    /// <summary>
    /// Claims and runs chunks of job <paramref name="sequence"/> until none are left (or a newer job replaced it).
    /// After a failure the remaining chunks are claimed and counted without running; the first error is kept.
    /// </summary>
    private void Serve(IChunkJob job, int chunks, long sequence, int participant)
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if (state >> 32 != sequence) return;
            var chunk = (int)state;
            if (chunk >= chunks) return;
            if (Interlocked.CompareExchange(ref _state, state + 1, state) != state) continue;
            if (Volatile.Read(ref _error) is null)
            {
                try
                {
                    job.RunChunk(chunk, participant);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e), null);
                }
            }
            Interlocked.Increment(ref _done);
        }
    }

    private void Loop()
    {
        long served = 0;
        while (true)
        {
            if (!SpinForJob(served)) Sleep(served);
            var sequence = Volatile.Read(ref _state) >> 32;
            if (sequence == served) continue;
            served = sequence;
            // Fields of this or a newer job; with a newer one the claims below fail on the sequence number.
            var (job, chunks) = (_job, _chunks);
            if (job is not null) Serve(job, chunks, sequence, participant: 1);
        }
    }

    /// <summary>
    /// Blocks until a caller releases the worker. The flag is raised before the last look for a job (both sides use
    /// full fences), so either the caller sees it and releases, or this thread sees the job; if both, the release that
    /// the caller owes is consumed here, so the semaphore never holds more than one stale count.
    /// </summary>
    private void Sleep(long served)
    {
        Interlocked.Exchange(ref _sleeping, 1);
        if (Volatile.Read(ref _state) >> 32 == served || Interlocked.Exchange(ref _sleeping, 0) == 0) _wake.Wait();
    }

    /// <summary>Polls for a job newer than <paramref name="served"/> for up to <see cref="SpinTicks"/>.</summary>
    private bool SpinForJob(long served)
    {
        var deadline = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
        while (Volatile.Read(ref _state) >> 32 == served)
        {
            if (System.Diagnostics.Stopwatch.GetTimestamp() > deadline) return false;
            Thread.SpinWait(32);
        }
        return true;
    }
}
