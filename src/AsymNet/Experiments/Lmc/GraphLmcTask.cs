using AsymNet.Data;
using AsymNet.NN.Models;
using AsymNet.NN.Training;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.Experiments.Lmc;

/// <summary>
/// LMC on a node-classification graph (docs/paper.md#gnn-lmc): full-batch training by the one <see cref="Trainer"/> on
/// <see cref="GraphTrainingData"/> (one step per epoch on the training nodes' cross-entropy); the test loss is the mean
/// cross-entropy over the test nodes.
/// </summary>
public sealed class GraphLmcTask : ILmcTask
{
    private readonly LmcRecipe _recipe;
    private readonly GraphDataset _graph;
    private readonly GraphTrainingData _data;
    private readonly ModelInput _input;
    private readonly int[] _trainLabels;
    private readonly int[] _testLabels;
    private readonly int[] _validLabels;

    public GraphLmcTask(LmcRecipe recipe, DataPaths paths) : this(recipe, Datasets.LoadGraph(recipe.Dataset, paths)) { }

    public GraphLmcTask(LmcRecipe recipe, GraphDataset graph)
    {
        _recipe = recipe;
        _graph = graph;
        _data = new GraphTrainingData(graph);
        _input = new ModelInput(graph.Features, graph.Adjacency);
        _trainLabels = graph.TrainIndex.Select(i => graph.Labels[i]).ToArray();
        _testLabels = graph.TestIndex.Select(i => graph.Labels[i]).ToArray();
        _validLabels = graph.ValidIndex.Select(i => graph.Labels[i]).ToArray();
        Shape = new DatasetShape(graph.Name, [graph.FeatureCount], graph.ClassCount);
    }

    public DatasetShape Shape { get; }

    public string Description =>
        $"{_graph.Name} ({_graph.NodeCount:N0} nodes, {_graph.TrainIndex.Length:N0} train / {_graph.TestIndex.Length:N0} test, full batch)";

    public int StepsPerEpoch => 1;

    public LmcTrainOutcome Train(Model model, LmcVariant family, ulong dataSeed, Action<LmcEpochProgress>? progress, CancellationToken cancel)
    {
        // Full-batch training has no data order; dataSeed would only matter for dropout, which the recipe leaves at 0.
        var recipe = _recipe.For(family.Family());
        var trainer = new Trainer(model, LmcTasks.Optimizer(recipe, model),
            new TrainOptions { Epochs = recipe.Epochs, LearningRate = recipe.LearningRate, Schedule = recipe.ScheduleFor(family) });
        var epochs = new List<LmcEpochProgress>();
        var result = trainer.Fit(_data, null, null, m =>
        {
            // The authors evaluate train/valid/test accuracy after every epoch in eval mode; Appendix A compares the best of each.
            var split = Metrics(model, (_graph.TrainIndex, _trainLabels), (_graph.ValidIndex, _validLabels));
            epochs.Add(new LmcEpochProgress(m.Epoch, recipe.Epochs, m.TrainLoss, m.LearningRate, split[0].Accuracy, split[1].Accuracy));
            progress?.Invoke(epochs[^1]);
        }, cancel);
        cancel.ThrowIfCancellationRequested();
        return new LmcTrainOutcome(result.Status == TrainStatus.Diverged, result.Message, result.Last?.TrainLoss ?? double.NaN, epochs);
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
            var all = _input.Through(model);
            return [.. sets.Select(set =>
            {
                if (set.Nodes.Length == 0) return (double.NaN, double.NaN);
                var logits = Ops.IndexSelect(all, 0, set.Nodes);
                var loss = Ops.CrossEntropy(logits, set.Labels).Item();
                return ((double)loss, (double)ImageClassification.CountCorrect(logits, set.Labels) / set.Labels.Length);
            })];
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    /// <summary>The whole graph, once: with dropout 0 every full-graph pass gives the same statistics.</summary>
    public IEnumerable<ModelInput> StatisticsBatches() => Enumerable.Repeat(_input, Math.Max(1, _recipe.StatisticsBatches));

    public string Align(Model a, Model b, Rng rng) => LmcAlignment.ActivationMatching(a, b, _graph.Features, _graph.Adjacency);

    public (double StepSeconds, double EvalSeconds) Measure(Model model)
    {
        var trainer = new Trainer(model, LmcTasks.Optimizer(_recipe, model), new TrainOptions { LearningRate = 0 });
        var step = LmcStatistics.TimeRepeated(() => trainer.Step(_data, _graph));
        var eval = LmcStatistics.TimeRepeated(() => Evaluate(model), maxRuns: 4);
        return (step, eval);
    }

    public void Dispose() { }
}
