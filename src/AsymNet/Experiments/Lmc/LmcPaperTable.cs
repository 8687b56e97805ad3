namespace AsymNet.Experiments.Lmc;

/// <summary>The paper's Table 1 (midpoint test-loss barrier, mean ± std over ≥ 5 pairs), for reference next to a run.</summary>
public static class LmcPaperTable
{
    public sealed record Row(string Task, IReadOnlyDictionary<LmcVariant, (double Mean, double Std)> Barriers);

    private static Row R(string task, double s, double ss, double r, double rs, double g, double gs, double w, double ws) => new(task,
        new Dictionary<LmcVariant, (double, double)>
        {
            [LmcVariant.Standard] = (s, ss), [LmcVariant.Rebasin] = (r, rs), [LmcVariant.Sigma] = (g, gs), [LmcVariant.W] = (w, ws),
        });

    private static readonly Dictionary<string, Row> Rows = new()
    {
        ["mlp"] = R("MLP (MNIST)", 0.188, .12, -.006, .00, 0.117, .01, -0.012, .00),
        ["resnet20"] = R("ResNet (CIFAR-10)", 3.287, .32, 2.041, .21, 2.521, .46, 0.934, .72),
        ["resnet20x8"] = R("ResNet 8×width (CIFAR-10)", 2.640, .24, 0.509, .45, 1.492, .15, 0.031, .05),
        ["gnn"] = R("GNN (ogbn-arXiv)", 1.475, .24, 0.269, .02, 0.901, .11, 0.095, .03),
    };

    public static Row For(string model) => Rows[model];
}
