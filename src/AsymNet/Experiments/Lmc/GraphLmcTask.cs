using AsymNet.Data;
using AsymNet.NN.Models;
using AsymNet.NN.Optim;
using AsymNet.NN.Optim.Schedules;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace AsymNet.Experiments.Lmc;

/// <summary>
/// LMC on a node-classification graph (REFERENCE §4.5): full-batch training, one optimizer step per epoch on the
/// cross-entropy of the training nodes (the whole graph goes forward, so BatchNorm sees every node, as in the
/// authors' code); the test loss is the mean cross-entropy over the test nodes.
/// </summary>
public sealed class GraphLmcTask : ILmcTask
{
    private readonly LmcRecipe _recipe;
    private readonly GraphDataset _graph;
    private readonly int[] _trainLabels;
    private readonly int[] _testLabels;
    private readonly int[] _validLabels;

    public GraphLmcTask(LmcRecipe recipe, DataPaths paths) : this(recipe, Datasets.LoadGraph(recipe.Dataset, paths)) { }

    public GraphLmcTask(LmcRecipe recipe, GraphDataset graph)
    {
        _recipe = recipe;
        _graph = graph;
        _trainLabels = graph.TrainIndex.Select(i => graph.Labels[i]).ToArray();
        _testLabels = graph.TestIndex.Select(i => graph.Labels[i]).ToArray();
        _validLabels = graph.ValidIndex.Select(i => graph.Labels[i]).ToArray();
        Shape = new DatasetShape(graph.Name, [graph.FeatureCount], graph.ClassCount);
    }

    public DatasetShape Shape { get; }

    public string Description =>
        $"{_graph.Name} ({_graph.NodeCount:N0} nodes, {_graph.TrainIndex.Length:N0} train / {_graph.TestIndex.Length:N0} test, full batch)";

    public int StepsPerEpoch => 1;

    public void Attach(Model model)
    {
        if (model is not IGraphModel g) throw new ArgumentException($"A graph task needs a graph model, got {model.GetType().Name}.");
        g.Adjacency = _graph.Adjacency;
    }

    public LmcTrainOutcome Train(Model model, LmcVariant family, ulong dataSeed, Action<LmcEpochProgress>? progress, CancellationToken cancel)
    {
        // Full-batch training has no data order; dataSeed would only matter for dropout, which the recipe leaves at 0.
        var optimizer = LmcTasks.Optimizer(_recipe, model);
        var schedule = _recipe.ScheduleFor(family);
        var scope = new TensorScope();
        var loss = double.NaN;
        var epochs = new List<LmcEpochProgress>();
        model.Train();
        for (var epoch = 0; epoch < _recipe.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            optimizer.LearningRate = _recipe.LearningRate * schedule.Factor(epoch, 0, 1);
            loss = Step(model, optimizer, scope);
            if (!double.IsFinite(loss))
                return new LmcTrainOutcome(true, $"loss became {loss} at epoch {epoch + 1} (learning rate {optimizer.LearningRate:G4})", loss, epochs);
            // The authors evaluate train/valid/test accuracy after every epoch; Appendix A compares the best of each.
            var split = Metrics(model, (_graph.TrainIndex, _trainLabels), (_graph.ValidIndex, _validLabels));
            epochs.Add(new LmcEpochProgress(epoch + 1, _recipe.Epochs, loss, optimizer.LearningRate, split[0].Accuracy, split[1].Accuracy));
            progress?.Invoke(epochs[^1]);
        }
        return new LmcTrainOutcome(false, null, loss, epochs);
    }

    private double Step(Model model, Optimizer optimizer, TensorScope scope)
    {
        using var _ = scope.Enter();
        optimizer.ZeroGrad();
        var logits = Ops.IndexSelect(model.Forward(_graph.Features), 0, _graph.TrainIndex);
        var loss = Ops.CrossEntropy(logits, _trainLabels);
        var value = loss.Item();
        if (!float.IsFinite(value)) return value;
        loss.Backward();
        optimizer.Step();
        return value;
    }

    public (double Loss, double Accuracy) Evaluate(Model model) => Metrics(model, (_graph.TestIndex, _testLabels))[0];

    /// <summary>Mean cross-entropy and accuracy over each set of nodes, from one full-graph forward in evaluation mode.</summary>
    private (double Loss, double Accuracy)[] Metrics(Model model, params (int[] Nodes, int[] Labels)[] sets)
    {
        var wasTraining = model.Training;
        model.Eval();
        try
        {
            using var scope = TensorScope.Begin();
            using var noGrad = GradMode.NoGrad();
            var all = model.Forward(_graph.Features);
            return [.. sets.Select(set =>
            {
                if (set.Nodes.Length == 0) return (double.NaN, double.NaN);
                var logits = Ops.IndexSelect(all, 0, set.Nodes);
                var loss = Ops.CrossEntropy(logits, set.Labels).Item();
                var c = logits.Shape[1];
                var span = logits.Span;
                var hits = 0;
                for (var i = 0; i < set.Labels.Length; i++)
                    if (TensorPrimitives.IndexOfMax(span.Slice(i * c, c)) == set.Labels[i]) hits++;
                return ((double)loss, (double)hits / set.Labels.Length);
            })];
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    /// <summary>The whole graph, once: with dropout 0 every full-graph pass gives the same statistics.</summary>
    public IEnumerable<Tensor> StatisticsBatches() => Enumerable.Repeat(_graph.Features, Math.Max(1, _recipe.StatisticsBatches));

    public string Align(Model a, Model b, Rng rng) => LmcAlignment.ActivationMatching(a, b, _graph.Features, _graph.Adjacency);

    public (double StepSeconds, double EvalSeconds) Measure(Model model)
    {
        var optimizer = LmcTasks.Optimizer(_recipe, model);
        optimizer.LearningRate = 0;
        var scope = new TensorScope();
        var step = LmcStatistics.TimeRepeated(() => Step(model, optimizer, scope));
        var eval = LmcStatistics.TimeRepeated(() => Evaluate(model), maxRuns: 4);
        return (step, eval);
    }

    public void Dispose() { }
}
