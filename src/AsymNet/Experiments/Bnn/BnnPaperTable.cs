using AsymNet.NN.Models;

namespace AsymNet.Experiments.Bnn;

/// <summary>The paper's Table 2 (means over 10 runs, 50 epochs): train loss, test loss, ECE, test accuracy (%), and
/// test accuracy at 25 epochs. ResNet20/110 are CIFAR-10; the BN and LN rows CIFAR-100 at width ×2 (docs/paper.md#bnn).</summary>
public static class BnnPaperTable
{
    public sealed record Row(double TrainLoss, double TestLoss, double Ece, double TestAccuracy, double HalfAccuracy);

    private static readonly Dictionary<(string, Variant), Row> Rows = new()
    {
        [("mlp8", Variant.Standard)] = new(1.34, 1.24, .039, 56.37, 52.87),
        [("mlp8", Variant.W)] = new(1.31, 1.22, .042, 57.08, 54.15),
        [("mlp16", Variant.Standard)] = new(2.29, 2.28, .026, 13.54, 13.34),
        [("mlp16", Variant.W)] = new(1.39, 1.27, .045, 55.16, 51.42),
        [("resnet20", Variant.Standard)] = new(.596, .535, .045, 81.98, 72.37),
        [("resnet20", Variant.W)] = new(.600, .535, .044, 81.94, 73.64),
        [("resnet110", Variant.Standard)] = new(.803, .706, .052, 75.71, 59.85),
        [("resnet110", Variant.W)] = new(.745, .658, .049, 77.40, 63.20),
        [("resnet20-bn", Variant.Standard)] = new(1.68, 1.57, .078, 56.83, 46.80),
        [("resnet20-bn", Variant.W)] = new(1.62, 1.50, .076, 58.40, 49.29),
        [("resnet20-ln", Variant.Standard)] = new(1.97, 1.88, .090, 50.02, 37.24),
        [("resnet20-ln", Variant.W)] = new(1.91, 1.82, .086, 51.20, 39.03),
    };

    public static Row? For(string model, Variant variant) => Rows.GetValueOrDefault((model, variant));
}
