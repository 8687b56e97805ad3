namespace AsymNet.Tensors.Ops;

internal static partial class Normalization
{
    /// <summary>
    /// The backward of one row of a plane layout (S &gt; 1): its per-channel Σdy and Σdy·x̂ into rows 2n and 2n + 1 of
    /// the sums, and, when <paramref name="GroupDx"/> (group statistics flowing into x), that row's β, γ and dx. With a
    /// fused ReLU (ys, its output, not empty) the row of dy is masked in place first, while it is in cache.
    /// </summary>
    private readonly record struct PlaneRows(NormLayout L, bool GroupDx, double M)
    {
        public void Run(ReadOnlySpan<float> xs, Span<float> gs, ReadOnlySpan<float> ys, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
            ReadOnlySpan<float> w, Span<float> sums, Span<float> beta, Span<float> gamma, Span<float> dx, int n)
        {
            var l = L;
            var rowLength = l.C * l.S;
            var xRow = xs.Slice(n * rowLength, rowLength);
            var gRow = gs.Slice(n * rowLength, rowLength);
            if (!ys.IsEmpty) SimdMap.Map(new Ops.ReluBackward(), ys.Slice(n * rowLength, rowLength), gRow, gRow);
            var p1 = sums.Slice(2 * n * l.C, l.C);
            var p2 = sums.Slice((2 * n + 1) * l.C, l.C);
            for (var c = 0; c < l.C; c++)
            {
                var s = l.StatIndex(n, c);
                var (s1, s2) = ShiftedMoments(gRow.Slice(c * l.S, l.S), 0f, xRow.Slice(c * l.S, l.S), mean[s]);
                p1[c] = (float)s1;
                p2[c] = (float)(s2 * rstd[s]);
            }
            if (!GroupDx) return;
            var size = l.ChannelsPerGroup;
            for (var k = 0; k < l.Groups; k++)
            {
                var s = n * l.Groups + k;
                var (c0, c1) = (k * size, (k + 1) * size);
                (beta[s], gamma[s]) = GroupCoefficients(p1[c0..c1], p2[c0..c1], w.IsEmpty ? w : w[c0..c1], rstd[s], mean[s], M);
                GradPlanes(l, n, c0, c1, gRow, xRow, rstd, beta, gamma, w, dx.Slice(n * rowLength, rowLength));
            }
        }
    }

    /// <summary>
    /// Forward rows (taking their statistics first, or not) or backward rows of a plane layout as
    /// <see cref="ParallelChunks"/>, one chunk per row. Every chunk writes its own outputs; sums over rows are added
    /// afterwards in row order by the caller.
    /// Reused per calling thread; the spans are pinned by the static entry points for the duration of the run.
    /// </summary>
    private sealed unsafe class RowsJob : IChunkJob
    {
        private enum Kind { Forward, StatisticsAndForward, Backward }

        [ThreadStatic] private static RowsJob? _cached;
        private Kind _kind;
        private NormLayout _l;
        private PlaneRows _rows;
        private float* _x, _g, _y, _mean, _rstd, _shift, _w, _b, _sums, _beta, _gamma, _relu, _residual;
        private double* _mean64, _variance64;
        private int _statCount, _wLength, _bLength, _yLength, _reluLength, _residualLength;
        private NormEpilogue.Fusion _fusion;
        private float _eps;

        public static void Forward(ReadOnlySpan<float> x, NormLayout l, ReadOnlySpan<float> rstd, ReadOnlySpan<float> shift, ReadOnlySpan<float> w,
            ReadOnlySpan<float> b, NormEpilogue.Fusion fusion, ReadOnlySpan<float> residual, Span<float> y)
        {
            fixed (float* pr = rstd)
            fixed (float* ps = shift)
                RunForward(Job(Kind.Forward, l), x, pr, ps, w, b, fusion, residual, y);
        }

        /// <summary>
        /// Per row: the statistics of its groups (into mean and variance), their saved rows (mean, rstd, shift; see
        /// <see cref="SaveStatistic"/>), then the row's forward, as <see cref="Normalization.Statistics"/> and
        /// <see cref="Forward"/> in turn would.
        /// </summary>
        public static void StatisticsAndForward(ReadOnlySpan<float> x, NormSpec spec, Span<double> mean, Span<double> variance,
            Span<float> stats, Span<float> y)
        {
            var l = spec.Layout;
            var job = Job(Kind.StatisticsAndForward, l);
            job._eps = spec.Eps;
            fixed (double* pm = mean)
            fixed (double* pv = variance)
            fixed (float* ps = stats)
            {
                job._mean64 = pm;
                job._variance64 = pv;
                job._mean = ps;
                RunForward(job, x, ps + l.StatCount, ps + 2 * l.StatCount, Span(spec.Weight), Span(spec.Bias), spec.Epilogue.Kind,
                    Span(spec.Epilogue.Residual), y);
            }
        }

        private static void RunForward(RowsJob job, ReadOnlySpan<float> x, float* rstd, float* shift, ReadOnlySpan<float> w, ReadOnlySpan<float> b,
            NormEpilogue.Fusion fusion, ReadOnlySpan<float> residual, Span<float> y)
        {
            fixed (float* px = x)
            fixed (float* pw = w)
            fixed (float* pb = b)
            fixed (float* pr = residual)
            fixed (float* py = y)
            {
                (job._wLength, job._bLength, job._yLength, job._fusion, job._residualLength) = (w.Length, b.Length, y.Length, fusion, residual.Length);
                job._residual = pr;
                job._x = px;
                job._rstd = rstd;
                job._shift = shift;
                job._w = pw;
                job._b = pb;
                job._y = py;
                ParallelChunks.Run(job, job._l.N);
            }
        }

        public static void Backward(PlaneRows rows, ReadOnlySpan<float> xs, Span<float> gs, ReadOnlySpan<float> ys, ReadOnlySpan<float> mean,
            ReadOnlySpan<float> rstd, ReadOnlySpan<float> w, Span<float> sums, Span<float> beta, Span<float> gamma, Span<float> dx)
        {
            var job = Job(Kind.Backward, rows.L);
            fixed (float* px = xs)
            fixed (float* pg = gs)
            fixed (float* prelu = ys)
            fixed (float* pm = mean)
            fixed (float* pr = rstd)
            fixed (float* pw = w)
            fixed (float* psum = sums)
            fixed (float* pbeta = beta)
            fixed (float* pgamma = gamma)
            fixed (float* pdx = dx)
            {
                job._rows = rows;
                (job._wLength, job._yLength, job._reluLength) = (w.Length, dx.Length, ys.Length);
                job._relu = prelu;
                job._x = px;
                job._g = pg;
                job._mean = pm;
                job._rstd = pr;
                job._w = pw;
                job._sums = psum;
                job._beta = pbeta;
                job._gamma = pgamma;
                job._y = pdx;
                ParallelChunks.Run(job, rows.L.N);
            }
        }

        private static RowsJob Job(Kind kind, NormLayout l)
        {
            var job = _cached ??= new RowsJob();
            (job._kind, job._l, job._statCount) = (kind, l, l.StatCount);
            return job;
        }

        public void RunChunk(int chunk, int participant)
        {
            var length = _l.N * _l.C * _l.S;
            var x = new ReadOnlySpan<float>(_x, length);
            switch (_kind)
            {
                case Kind.StatisticsAndForward:
                    var mean = new Span<double>(_mean64, _statCount);
                    var variance = new Span<double>(_variance64, _statCount);
                    for (var st = chunk * _l.Groups; st < (chunk + 1) * _l.Groups; st++)
                    {
                        GroupStatistics(x, _l, st, mean, variance);
                        // The saved rows: mean (at _mean), then rstd and shift.
                        SaveStatistic(new Span<float>(_mean, 3 * _statCount), _statCount, st, mean[st], variance[st], _eps);
                    }
                    goto case Kind.Forward;
                case Kind.Forward:
                    ForwardRow(x, _l, new ReadOnlySpan<float>(_rstd, _statCount), new ReadOnlySpan<float>(_shift, _statCount),
                        new ReadOnlySpan<float>(_w, _wLength), new ReadOnlySpan<float>(_b, _bLength), default, _fusion,
                        new ReadOnlySpan<float>(_residual, _residualLength), new Span<float>(_y, _yLength), chunk);
                    break;
                default:
                    _rows.Run(x, new Span<float>(_g, length), new ReadOnlySpan<float>(_relu, _reluLength), new ReadOnlySpan<float>(_mean, _statCount),
                        new ReadOnlySpan<float>(_rstd, _statCount), new ReadOnlySpan<float>(_w, _wLength), new Span<float>(_sums, 2 * _l.N * _l.C),
                        new Span<float>(_beta, _statCount), new Span<float>(_gamma, _statCount), new Span<float>(_y, _yLength), chunk);
                    break;
            }
        }
    }
}
