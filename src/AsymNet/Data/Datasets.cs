namespace AsymNet.Data;

/// <summary>
/// Loads the datasets of <see cref="DatasetCatalog"/> by name from where they are installed. A missing dataset
/// throws <see cref="DatasetNotFoundException"/> saying how to get it; a damaged one <see cref="DataFormatException"/>.
/// </summary>
public static class Datasets
{
    /// <summary>Names <see cref="LoadImages"/> accepts.</summary>
    public static readonly string[] ImageNames = ["mnist", "mnist10k", "fashion-mnist", "cifar10", "cifar100"];

    /// <summary>Names <see cref="LoadGraph"/> accepts.</summary>
    public static readonly string[] GraphNames = ["fashion-knn", "ogbn-arxiv"];

    public static (ImageDataset Train, ImageDataset Test) LoadImages(string name, DataPaths paths) => name switch
    {
        "mnist" => MnistFolder.Load(Require(name, paths), "mnist", NormalizationStats.Mnist),
        "mnist10k" => Mnist10k.Load(paths),
        "fashion-mnist" => MnistFolder.Load(Require(name, paths), "fashion-mnist", NormalizationStats.FashionMnist),
        "cifar10" => CifarBinary.LoadCifar10(Require(name, paths)),
        "cifar100" => CifarBinary.LoadCifar100(Require(name, paths)),
        _ => throw new ArgumentException($"Unknown image dataset '{name}'; known: {string.Join(", ", ImageNames)}."),
    };

    public static GraphDataset LoadGraph(string name, DataPaths paths) => name switch
    {
        "fashion-knn" => FashionKnnGraph.Load(paths),
        "ogbn-arxiv" => GraphCache.GetOrBuild(Path.Combine(paths.CacheDir, "ogbn-arxiv-v1.bin"), name,
            () => OgbNodeDataset.Load(Require(name, paths), OgbNodeDataset.ArxivShape)),
        _ => throw new ArgumentException($"Unknown graph dataset '{name}'; known: {string.Join(", ", GraphNames)}."),
    };

    private static string Require(string name, DataPaths paths)
    {
        var entry = DatasetCatalog.Get(name);
        return entry.Locate(paths) ?? throw new DatasetNotFoundException(name, $"{entry.Missing(paths)}; {entry.HowToGet}");
    }
}
