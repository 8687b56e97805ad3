namespace AsymNet.NN.Models;

/// <summary>What a model needs to know about its data: the shape of one input and the number of classes.</summary>
public sealed record DatasetShape(string Name, int[] InputShape, int Classes)
{
    public static readonly DatasetShape Mnist = new("mnist", [1, 28, 28], 10);
    public static readonly DatasetShape FashionMnist = new("fashion-mnist", [1, 28, 28], 10);
    public static readonly DatasetShape Cifar10 = new("cifar10", [3, 32, 32], 10);
    public static readonly DatasetShape Cifar100 = new("cifar100", [3, 32, 32], 100);
    public static readonly DatasetShape OgbnArxiv = new("ogbn-arxiv", [128], 40);

    public static IReadOnlyList<DatasetShape> Known { get; } = [Mnist, FashionMnist, Cifar10, Cifar100, OgbnArxiv];

    public static DatasetShape ForName(string name) =>
        Known.FirstOrDefault(d => d.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown dataset '{name}'; known: {string.Join(", ", Known.Select(d => d.Name))}.");
}
