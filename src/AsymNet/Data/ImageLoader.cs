using System.Runtime.ExceptionServices;
using AsymNet.Tensors;

namespace AsymNet.Data;

/// <summary>
/// Minibatches over an <see cref="ImageDataset"/> (or a subset of its indices), deterministic by seed: epoch e
/// draws its order and then, batch by batch and image by image, its augmentation from
/// <c>Rng.ForKey(seed, "epoch.e")</c>, where the seed is taken once from the generator passed in. Results do not
/// depend on prefetching or on epochs left early. With prefetch a worker thread fills the next batch while the
/// caller uses the current one; two batch buffers (from the tensor pool) are allocated once and reused, so
/// steady-state iteration allocates nothing.
/// </summary>
public sealed class ImageLoader : IDisposable
{
    private readonly ImageDataset _data;
    private readonly int[] _indices;
    private readonly int[] _order;
    private readonly ulong _seed;
    private readonly Augmenter _augmenter;
    private readonly ImageBatch[] _full = new ImageBatch[2];
    private readonly ImageBatch?[] _tail = new ImageBatch?[2];
    private readonly object _gate = new(); // Monitor: lock + Wait/Pulse
    private Rng _epochRng;
    private Thread? _worker;
    private int _requested, _served, _produced, _released;
    private bool _inEpoch, _cancel, _disposed, _workerBusy;
    private Exception? _error;

    public ImageLoader(ImageDataset data, LoaderOptions options, Rng rng, int[]? indices = null)
    {
        if (options.BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(options), "Batch size must be positive.");
        _data = data;
        Options = options;
        _indices = indices ?? DataSplit.All(data.Count);
        foreach (var i in _indices)
            if ((uint)i >= (uint)data.Count) throw new ArgumentOutOfRangeException(nameof(indices), $"Index {i} is outside the {data.Count} images.");
        _order = new int[_indices.Length];
        _seed = rng.NextUInt64();
        _epochRng = new Rng(_seed);
        Augmentation = options.Augmentation ?? AugmentationPipeline.NormalizeOnly(data.Stats);
        _augmenter = new Augmenter(Augmentation, data.Channels, data.Height, data.Width);
        var b = Math.Max(1, Math.Min(options.BatchSize, _indices.Length));
        var tail = _indices.Length % b;
        for (var s = 0; s < 2; s++)
        {
            var storage = TensorPool.Rent(b * data.ImageSize);
            var full = new Tensor(storage, 0, [b, data.Channels, data.Height, data.Width]);
            _full[s] = new ImageBatch(full, b);
            if (tail > 0 && !options.DropLast)
                _tail[s] = new ImageBatch(new Tensor(storage, 0, [tail, data.Channels, data.Height, data.Width], full), tail);
        }
    }

    public LoaderOptions Options { get; }

    /// <summary>The pipeline in use (the given one, or normalisation with the dataset's statistics).</summary>
    public AugmentationPipeline Augmentation { get; }

    /// <summary>Images served per epoch (before drop-last).</summary>
    public int Count => _indices.Length;

    public int BatchCount => Options.DropLast ? Count / Options.BatchSize : (Count + Options.BatchSize - 1) / Options.BatchSize;

    /// <summary>Epochs started so far; the next <see cref="Epoch"/> call is epoch number EpochsStarted.</summary>
    public int EpochsStarted { get; private set; }

    /// <summary>Makes the next <see cref="Epoch"/> epoch number <paramref name="epoch"/>: each epoch's order and
    /// augmentation depend only on the seed and the epoch number, so a resumed run sees the batches it would have.</summary>
    public void StartAt(int epoch)
    {
        if (EpochsStarted != 0) throw new InvalidOperationException("StartAt must come before the first epoch.");
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        EpochsStarted = epoch;
    }

    /// <summary>The batches of the next epoch. Enumerate to the end or dispose the enumerator before the next call.</summary>
    public IEnumerable<ImageBatch> Epoch()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Run();
    }

    private IEnumerable<ImageBatch> Run()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_inEpoch) throw new InvalidOperationException("The previous epoch is still being enumerated: finish it or dispose its enumerator.");
        _inEpoch = true;
        try
        {
            Begin();
            for (var b = 0; b < BatchCount; b++) yield return Acquire(b);
        }
        finally
        {
            End();
        }
    }

    private void Begin()
    {
        _epochRng = Rng.ForKey(_seed, "epoch." + EpochsStarted);
        EpochsStarted++;
        _indices.CopyTo(_order, 0);
        if (Options.Shuffle) _epochRng.Shuffle(_order.AsSpan());
        if (!Options.Prefetch) return;
        _worker ??= StartWorker();
        lock (_gate)
        {
            (_produced, _released, _cancel, _error, _workerBusy) = (0, 0, false, null, true);
            _requested++;
            Monitor.PulseAll(_gate);
        }
    }

    private ImageBatch Acquire(int b)
    {
        if (!Options.Prefetch)
        {
            Fill(b);
            return Slot(b);
        }
        lock (_gate)
        {
            _released = b;
            Monitor.PulseAll(_gate);
            while (_produced <= b && _error is null && !_disposed) Monitor.Wait(_gate);
            if (_error is not null) ExceptionDispatchInfo.Capture(_error).Throw();
            ObjectDisposedException.ThrowIf(_produced <= b, this);
        }
        return Slot(b);
    }

    private void End()
    {
        if (Options.Prefetch && _worker is not null)
        {
            lock (_gate)
            {
                _cancel = true;
                Monitor.PulseAll(_gate);
                while (_workerBusy) Monitor.Wait(_gate);
            }
        }
        _inEpoch = false;
    }

    private ImageBatch Slot(int b)
    {
        var start = b * Options.BatchSize;
        var count = Math.Min(Options.BatchSize, Count - start);
        return count == _full[0].Count ? _full[b % 2] : _tail[b % 2]!;
    }

    /// <summary>Writes batch b of the current epoch into its buffer.</summary>
    private void Fill(int b)
    {
        var batch = Slot(b);
        var start = b * Options.BatchSize;
        _order.AsSpan(start, batch.Count).CopyTo(batch.Indices);
        for (var i = 0; i < batch.Count; i++) batch.Labels[i] = _data.Labels[batch.Indices[i]];
        _augmenter.ApplyBatch(_data, batch.Indices, batch.Images.Span, _epochRng);
    }

    private Thread StartWorker()
    {
        var t = new Thread(WorkerLoop) { IsBackground = true, Name = "asym-image-loader" };
        t.Start();
        return t;
    }

    private void WorkerLoop()
    {
        while (true)
        {
            int batches;
            lock (_gate)
            {
                while (_requested == _served && !_disposed) Monitor.Wait(_gate);
                if (_disposed) return;
                _served = _requested;
                batches = BatchCount;
            }
            try
            {
                for (var b = 0; b < batches; b++)
                {
                    lock (_gate)
                    {
                        while (b - _released >= 2 && !_cancel && !_disposed) Monitor.Wait(_gate);
                        if (_cancel || _disposed) break;
                    }
                    Fill(b);
                    lock (_gate)
                    {
                        _produced = b + 1;
                        Monitor.PulseAll(_gate);
                    }
                }
            }
            catch (Exception e)
            {
                lock (_gate) _error = e;
            }
            finally
            {
                lock (_gate)
                {
                    _workerBusy = false;
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        lock (_gate)
        {
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
        _worker?.Join();
        foreach (var batch in _full) TensorPool.Return(batch.Images.Storage);
    }
}
