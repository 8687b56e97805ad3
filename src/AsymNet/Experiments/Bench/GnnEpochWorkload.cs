using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using AsymNet.Data;
using AsymNet.NN.Models;
using AsymNet.NN.Optim;
using AsymNet.Tensors;
using AsymNet.NN.Training;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// Full-graph training epochs of the standard GNN (3 × [x + neighbour mean → Linear 256 → BatchNorm1d → GELU], Linear
/// head; Adam lr 1e-3) on the embedded Fashion-MNIST kNN graph (10,000 nodes, 128 features, 6,000 training nodes), in
/// epochs/s: one epoch is one forward over every node, cross-entropy on the training nodes, backward and an optimizer
/// step, as the LMC experiment trains it. The graph goes to PyTorch as raw files in a temporary folder; torch
/// aggregates with a sparse-dense product.
/// </summary>
public sealed class GnnEpochWorkload(int epochs) : IBenchWorkload
{
    private const int Warmup = 2;
    private GraphDataset? _graph;
    private string? _exported;

    public string Name => "gnn-epoch";
    public string Description => "GNN (3 layers, 256 hidden, BatchNorm, GELU) full-graph epoch, Fashion-MNIST kNN graph";
    public string Unit => "epochs/s";
    public string? AsymUnavailable => null;

    private GraphDataset Graph(BenchOptions options) => _graph ??= FashionKnnGraph.Load(options.Data ?? DataPaths.Resolve());

    public BenchSample RunAsym(BenchOptions options)
    {
        var graph = Graph(options);
        var config = ModelFactory.Preset("gnn", "standard", new DatasetShape(FashionKnnGraph.Name, [graph.Features.Shape[1]], graph.ClassCount));
        var model = ModelFactory.Create(config, options.Seed);
        // The product's step: the one Trainer on the graph's full-batch objective, as asym lmc --model gnn trains.
        var trainer = new Trainer(model, new Adam(OptimParameter.From(model), 1e-3), new TrainOptions { LearningRate = 1e-3 });
        var data = new GraphTrainingData(graph);
        model.Train();
        var seconds = StepTimer.Seconds(_ => trainer.Step(data, graph), Warmup, epochs);
        return new BenchSample(epochs / seconds, null, BenchSetting.Describe());
    }

    public IReadOnlyList<JsonObject> TorchRequests(BenchOptions options)
    {
        var graph = Graph(options);
        var dir = _exported ??= Export(graph);
        return new[] { 1, Environment.ProcessorCount }.Distinct()
            .Select(t => new JsonObject
            {
                ["op"] = "gnn_epoch", ["dir"] = dir, ["nodes"] = graph.NodeCount, ["features"] = graph.Features.Shape[1],
                ["classes"] = graph.ClassCount, ["hidden"] = 256, ["layers"] = 3, ["epochs"] = epochs, ["warmup"] = Warmup, ["threads"] = t,
                ["seed"] = (long)options.Seed,
            })
            .ToList();
    }

    /// <summary>Writes the graph as raw little-endian arrays for the torch peer (removed when the process exits).</summary>
    private static string Export(GraphDataset g)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"asym-bench-graph-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
        };
        File.WriteAllBytes(Path.Combine(dir, "features.f32"), MemoryMarshal.AsBytes(g.Features.Span).ToArray());
        File.WriteAllBytes(Path.Combine(dir, "rowptr.i32"), MemoryMarshal.AsBytes(g.Adjacency.RowPointers.AsSpan()).ToArray());
        File.WriteAllBytes(Path.Combine(dir, "col.i32"), MemoryMarshal.AsBytes(g.Adjacency.ColumnIndices.AsSpan()).ToArray());
        File.WriteAllBytes(Path.Combine(dir, "labels.i32"), MemoryMarshal.AsBytes(g.Labels.AsSpan()).ToArray());
        File.WriteAllBytes(Path.Combine(dir, "train.i32"), MemoryMarshal.AsBytes(g.TrainIndex.AsSpan()).ToArray());
        return dir;
    }
}
