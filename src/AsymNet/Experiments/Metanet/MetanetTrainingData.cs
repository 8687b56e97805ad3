using AsymNet.NN.Models;
using AsymNet.NN.Training;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.Experiments.Metanet;

/// <summary>A batch of networks: their inputs [B, Width] and target accuracies [B, 1].</summary>
public readonly record struct NetworkBatch(Tensor Inputs, Tensor Targets);

/// <summary>The metanets' objective: mean squared error between the output and the accuracy (Correct is always 0).</summary>
public sealed class AccuracyRegression : ITrainingObjective<NetworkBatch>
{
    public static readonly AccuracyRegression Instance = new();

    public (Tensor Loss, int Correct) Loss(Model model, NetworkBatch batch, TrainOptions options) =>
        (Ops.MseLoss(model.Forward(batch.Inputs), batch.Targets), 0);

    public int Count(NetworkBatch batch) => batch.Inputs.Shape[0];
}

/// <summary>
/// The training split of a <see cref="MetanetData"/> as <see cref="Trainer"/> data: every epoch a fresh seeded shuffle,
/// batches gathered into two reused tensors (full and last partial batch), under <see cref="AccuracyRegression"/>.
/// </summary>
public sealed class MetanetTrainingData : ITrainingData<NetworkBatch>
{
    private readonly MetanetData _data;
    private readonly int[] _rows;
    private readonly Rng _shuffle;
    private readonly NetworkBatch _full;
    private readonly NetworkBatch _tail;

    public MetanetTrainingData(MetanetData data, int batchSize, Rng shuffle)
    {
        _data = data;
        _rows = data.Rows[MetanetData.Train].ToArray();
        if (_rows.Length == 0) throw new InvalidDataException($"The {data.Variant} zoo has no training networks.");
        _shuffle = shuffle;
        BatchSize = Math.Min(batchSize, _rows.Length);
        _full = Batch(BatchSize);
        var rest = _rows.Length % BatchSize;
        _tail = rest == 0 ? _full : Batch(rest);

        NetworkBatch Batch(int n) => new(Tensor.Persistent(n, data.Width), Tensor.Persistent(n, 1));
    }

    public int BatchSize { get; }
    public int Networks => _rows.Length;
    public int StepsPerEpoch => (_rows.Length + BatchSize - 1) / BatchSize;

    public IEnumerable<NetworkBatch> Epoch()
    {
        _shuffle.Shuffle(_rows.AsSpan());
        for (var start = 0; start < _rows.Length; start += BatchSize)
        {
            var n = Math.Min(BatchSize, _rows.Length - start);
            var batch = n == BatchSize ? _full : _tail;
            _data.Gather(_rows.AsSpan(start, n), batch.Inputs, batch.Targets);
            yield return batch;
        }
    }

    public (Tensor Loss, int Correct) Loss(Model model, NetworkBatch batch, TrainOptions options) => AccuracyRegression.Instance.Loss(model, batch, options);

    public int Count(NetworkBatch batch) => AccuracyRegression.Instance.Count(batch);
}
