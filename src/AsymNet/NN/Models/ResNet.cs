using AsymNet.NN.Layers;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Models;

/// <summary>
/// CIFAR ResNet (He et al.; the authors' lmc/metanet_data ResNet, WResNet and σ-Asym ResNet): stem conv3×3 → norm →
/// activation, three stages of (Depth−2)/6 basic blocks with round(16w)/round(32w)/round(64w) channels and strides
/// 1/2/2, global average pooling, Linear head. Keys: conv1, ln1, layer{1,2,3}.{b}.*, linear, and nonlin (stem FiGLU
/// "F_mat", registered last as in the authors' σ-Asym ResNet).
/// </summary>
public sealed class ResNet : Model
{
    private readonly GlobalAvgPool2d _pool = new();

    /// <summary>Channels of the three stages: 16, 32, 64 times the width multiplier, rounded half to even.</summary>
    public static int[] StageWidths(double multiplier) =>
        [.. new[] { 16, 32, 64 }.Select(c => (int)Math.Round(c * multiplier, MidpointRounding.ToEven))];

    internal ResNet(ModelConfig config, LayerBuilder build) : base(config)
    {
        if (config.Depth < 8 || (config.Depth - 2) % 6 != 0)
            throw new ArgumentException($"A CIFAR ResNet has depth 6n+2 (8, 20, 32, 56, 110, ...), got {config.Depth}.");
        if (config.InputShape.Length != 3)
            throw new ArgumentException($"A ResNet needs [C, H, W] inputs, got [{string.Join(", ", config.InputShape)}].");
        var blocks = (config.Depth - 2) / 6;
        var widths = ResNet.StageWidths(config.WidthMultiplier);

        Conv1 = RegisterModule("conv1", build.Conv("conv1", config.InputShape[0], widths[0], 3, 1, 1));
        Ln1 = RegisterModule("ln1", Norm(config.Norm, widths[0]));
        var inPlanes = widths[0];
        var stages = new List<Sequential>();
        for (var s = 0; s < 3; s++)
        {
            var stage = new Sequential();
            for (var b = 0; b < blocks; b++)
            {
                var stride = b == 0 && s > 0 ? 2 : 1;
                stage.Add(new BasicBlock(build, $"layer{s + 1}.{b}", inPlanes, widths[s], stride));
                inPlanes = widths[s];
            }
            stages.Add(RegisterModule($"layer{s + 1}", stage));
        }
        Stages = stages;
        Linear = RegisterModule("linear", build.Linear("linear", widths[2], config.Classes));
        Nonlin = RegisterModule("nonlin", build.Activation("nonlin", widths[0], FiGluLayout.Conv1x1, "F_mat"));
    }

    public Conv2d Conv1 { get; }
    public Module Ln1 { get; }
    public IReadOnlyList<Sequential> Stages { get; }
    public Linear Linear { get; }
    public Module Nonlin { get; }

    public override Tensor Forward(Tensor x)
    {
        var h = Fused.NormActivation(Ln1, Nonlin, Conv1.Forward(x));
        foreach (var stage in Stages) h = stage.Forward(h);
        return Linear.Forward(_pool.Forward(h));
    }

    internal static Module Norm(NormKind kind, int channels) => kind switch
    {
        NormKind.Group => new GroupNorm(1, channels),
        NormKind.Batch => new BatchNorm2d(channels),
        _ => throw new ArgumentException($"A ResNet uses group (GroupNorm(1, C)) or batch norm, not {kind}."),
    };
}
