using AsymNet.NN.Asymmetry;

namespace AsymNet.Experiments.Training;

/// <summary>Everything `asym train` needs: model preset, data, optimizer, schedule and seeds.</summary>
public sealed record TrainConfig
{
    public string Model { get; init; } = "mlp";
    public string Variant { get; init; } = "standard";
    public string Dataset { get; init; } = "fashion-mnist";
    public int Epochs { get; init; } = 1;
    public int BatchSize { get; init; } = 64;

    /// <summary>sgd, adam or adamw.</summary>
    public string Optimizer { get; init; } = "adamw";

    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Null: the optimizer's PyTorch default (0 for SGD and Adam, 0.01 for AdamW).</summary>
    public double? WeightDecay { get; init; }

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    public bool Nesterov { get; init; }

    /// <summary>A schedule spec (see LrSchedule.Help).</summary>
    public string Schedule { get; init; } = "constant";

    public float LabelSmoothing { get; init; }

    /// <summary>Seed of the trainable weights' init, the data order and the training subset.</summary>
    public ulong Seed { get; init; }

    /// <summary>Seed of the masks, F and FiGLU matrices.</summary>
    public ulong ArchSeed { get; init; }

    /// <summary>Strength of the preset's asymmetry (null: the paper's).</summary>
    public AsymmetryStrength? Strength { get; init; }

    /// <summary>Train on this many training images, chosen at random from the seed (null: all).</summary>
    public int? TrainSize { get; init; }

    public int EvalBatchSize { get; init; } = 1000;

    /// <summary>Data directory (null: the default resolution, see DataPaths).</summary>
    public string? DataDir { get; init; }

    /// <summary>
    /// The README demo and the benchmark's MLP-4 (issue 2): the paper's MLP on Fashion-MNIST for one epoch, Adam lr 1e-3,
    /// batch 64, inputs normalised with mean 0.2860 and std 0.3530 (the dataset's statistics).
    /// </summary>
    public static TrainConfig Demo(string variant = "standard", ulong seed = 0, string? dataDir = null) => new()
    {
        Model = "mlp",
        Variant = variant,
        Dataset = "fashion-mnist",
        Epochs = 1,
        BatchSize = 64,
        Optimizer = "adam",
        LearningRate = 1e-3,
        Seed = seed,
        DataDir = dataDir,
    };
}
