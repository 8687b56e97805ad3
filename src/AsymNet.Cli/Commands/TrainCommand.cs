using System.CommandLine;
using AsymNet.Data;
using AsymNet.Experiments.Runs;
using AsymNet.Experiments.Training;
using AsymNet.NN.Models;
using AsymNet.NN.Optim.Schedules;

namespace AsymNet.Cli.Commands;

/// <summary>`asym train`: trains a preset image model into a run folder.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var model = new ModelOptions(Datasets.ImageNames);
        model.Model.Description = "Model: " + string.Join(", ", ModelPresets.Names.Where(n => n != "gnn")) + " (or resnet<depth>x<width>); the GNN trains in asym lmc --model gnn.";
        model.Model.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() == "gnn") r.AddError("asym train trains image models; the GNN trains in asym lmc --model gnn.");
        });
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var batch = new Option<int>("--batch-size") { Description = "Minibatch size.", DefaultValueFactory = _ => 64 }.AtLeast(1);
        var optimizer = new Option<string>("--optimizer") { Description = "sgd, adam or adamw (PyTorch semantics).", DefaultValueFactory = _ => "adamw" };
        optimizer.AcceptOnlyFromAmong("sgd", "adam", "adamw");
        var lr = new Option<double>("--lr") { Description = "Base learning rate.", DefaultValueFactory = _ => 1e-3 }.Finite(0, aboveMin: true);
        var wd = new Option<double?>("--weight-decay") { Description = "Weight decay (default: PyTorch's, 0 for sgd/adam and 0.01 for adamw; never applied to fixed W-Asym entries)." }.Finite(0);
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum.", DefaultValueFactory = _ => 0.9 }.Finite(0);
        var nesterov = new Option<bool>("--nesterov") { Description = "SGD with Nesterov momentum." };
        var schedule = new Option<string>("--schedule") { Description = "Learning-rate schedule: " + LrSchedule.Help + ".", DefaultValueFactory = _ => "constant" };
        var smoothing = new Option<float>("--label-smoothing") { Description = "Label smoothing of the training loss.", DefaultValueFactory = _ => 0f }.Finite(0, 1);
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weight init, data order and training subset.", DefaultValueFactory = _ => 0UL };
        var trainSize = new Option<int?>("--train-size") { Description = "Train on this many randomly chosen training images (default: all)." }.AtLeast(1);
        var evalBatch = new Option<int>("--eval-batch-size") { Description = "Batch size of test evaluation.", DefaultValueFactory = _ => 1000 }.AtLeast(1);
        var output = new Option<string?>("--out") { Description = "Run folder (default: runs/train-<model>-<variant>-<time>)." };
        var force = new Option<bool>("--force") { Description = "Write into an existing non-empty run folder." };
        var resume = new Option<bool>("--resume")
        {
            Description = "Continue the interrupted run in --out after its last finished epoch (same options as that run), bit for bit as if it had not stopped.",
        };
        var json = new Option<bool>("--json") { Description = "Print only the final metrics and throughput as one JSON object." };
        var dataDir = DataDirOption.Create();
        var cmd = new Command("train", "Train an image model (standard, W-Asym or σ-Asym) into a run folder: checkpoint.safetensors, metrics.csv and manifest.json.");
        model.AddTo(cmd);
        foreach (var o in new Option[] { epochs, batch, optimizer, lr, wd, momentum, nesterov, schedule, smoothing, seed, trainSize, evalBatch, output, force, resume, json, dataDir })
            cmd.Options.Add(o);
        cmd.SetAction(parse => CommandErrors.Guard("train", parse.GetValue(json), () =>
        {
            var name = parse.GetValue(model.Model)!;
            var variant = parse.GetValue(model.Variant)!;
            var config = new TrainConfig
            {
                Model = name,
                Variant = variant,
                Dataset = parse.GetValue(model.Dataset) ?? DefaultDataset(name),
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                Optimizer = parse.GetValue(optimizer)!,
                LearningRate = parse.GetValue(lr),
                WeightDecay = parse.GetValue(wd),
                Momentum = parse.GetValue(momentum),
                Nesterov = parse.GetValue(nesterov),
                Schedule = parse.GetValue(schedule)!,
                LabelSmoothing = parse.GetValue(smoothing),
                Seed = parse.GetValue(seed),
                ArchSeed = parse.GetValue(model.ArchSeed),
                Strength = model.Strength(parse),
                TrainSize = parse.GetValue(trainSize),
                EvalBatchSize = parse.GetValue(evalBatch),
                DataDir = parse.GetValue(dataDir),
            };
            if (parse.GetValue(resume) && parse.GetValue(output) is null)
                throw new UsageException("--resume needs --out, the folder of the run to continue.");
            var outDir = parse.GetValue(output) ?? RunFolder.DefaultPath($"train-{name}-{variant}");
            OutputPaths.CheckFolder(outDir, "--out", allowNonEmpty: parse.GetValue(force) || parse.GetValue(resume));
            var outcome = TrainRunner.Run("train", config, outDir, parse.GetValue(force), parse.GetValue(json), TrainRunner.CommandLine(parse), parse.GetValue(resume));
            if (parse.GetValue(json)) Console.WriteLine(outcome.Summary().ToJsonString());
            return TrainRunner.ExitCode(outcome);
        }));
        return cmd;
    }

    /// <summary>Fashion-MNIST for MLPs (installed by scripts/setup.sh), CIFAR-10 for ResNets.</summary>
    private static string DefaultDataset(string model) =>
        model.StartsWith("resnet", StringComparison.OrdinalIgnoreCase) || model.StartsWith("bnn-resnet", StringComparison.OrdinalIgnoreCase) ? "cifar10"
        : model.Equals("bnn-mlp8", StringComparison.OrdinalIgnoreCase) || model.Equals("bnn-mlp16", StringComparison.OrdinalIgnoreCase) ? "cifar10"
        : "fashion-mnist";
}
