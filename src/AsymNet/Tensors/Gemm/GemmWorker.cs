namespace AsymNet.Tensors.Gemm;

/// <summary>
/// A dedicated thread that computes the second part of a two-way split GEMM while the calling thread computes the
/// first. Kept alive for the process so a split costs a wake-up, not a task allocation (a steady-state training step
/// allocates nothing). One split at a time: a caller that finds it busy computes its whole GEMM alone, which gives
/// the same numbers.
/// </summary>
internal sealed unsafe class GemmWorker
{
    private static readonly Lazy<GemmWorker> Instance = new(() => new GemmWorker());

    private readonly SemaphoreSlim _start = new(0);
    private readonly SemaphoreSlim _done = new(0);
    private readonly Lock _busy = new();
    private delegate*<in GemmProblem, int, int, int, int, void> _run;
    private GemmProblem _problem;
    private int _i0, _i1, _j0, _j1;
    private Exception? _error;

    private GemmWorker()
    {
        new Thread(Loop) { IsBackground = true, Name = "AsymNet GEMM worker" }.Start();
    }

    public static GemmWorker Shared => Instance.Value;

    /// <summary>
    /// Runs region 1 on the worker and region 0 on this thread; false (nothing run) when the worker is busy.
    /// </summary>
    public bool TryRunSplit(delegate*<in GemmProblem, int, int, int, int, void> run, in GemmProblem g,
        (int I0, int I1, int J0, int J1) mine, (int I0, int I1, int J0, int J1) theirs)
    {
        if (!_busy.TryEnter()) return false;
        try
        {
            _run = run;
            (_problem, _error) = (g, null);
            (_i0, _i1, _j0, _j1) = theirs;
            _start.Release();
            try
            {
                run(in g, mine.I0, mine.I1, mine.J0, mine.J1);
            }
            finally
            {
                // The worker reads through the caller's pinned pointers: never return before it is done.
                _done.Wait();
            }
            if (_error is not null) throw new InvalidOperationException("GEMM worker failed.", _error);
            return true;
        }
        finally
        {
            _busy.Exit();
        }
    }

    private void Loop()
    {
        while (true)
        {
            _start.Wait();
            try
            {
                _run(in _problem, _i0, _i1, _j0, _j1);
            }
            catch (Exception e)
            {
                _error = e;
            }
            _done.Release();
        }
    }
}
