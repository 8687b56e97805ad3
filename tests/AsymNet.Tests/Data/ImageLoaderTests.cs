using AsymNet.Data;
using AsymNet.Tensors;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Data;

[Collection(AllocationMeasurement.Name)]
public sealed class ImageLoaderTests
{
    /// <summary>n 3x8x8 images; image i has label i % 10 and its first pixel is i % 256.</summary>
    private static ImageDataset Toy(int n)
    {
        var pixels = DataFixtures.RandomBytes(n * 192, 3);
        for (var i = 0; i < n; i++) pixels[i * 192] = (byte)(i % 256);
        return new ImageDataset("toy", pixels, Enumerable.Range(0, n).Select(i => i % 10).ToArray(), 3, 8, 8, 10,
            new NormalizationStats("toy", [0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]));
    }

    private static readonly AugmentationPipeline Augmented = new([new HorizontalFlipStep(), new RandomCropStep(2, PadMode.Reflect), new CutoutStep(3)]);

    /// <summary>Every batch of <paramref name="epochs"/> epochs: (indices, labels, images) copied out.</summary>
    private static List<(int[] Idx, int[] Labels, float[] Images)> Collect(ImageLoader loader, int epochs)
    {
        var all = new List<(int[], int[], float[])>();
        for (var e = 0; e < epochs; e++)
            foreach (var b in loader.Epoch())
                all.Add(((int[])b.Indices.Clone(), (int[])b.Labels.Clone(), b.Images.ToArray()));
        return all;
    }

    [Theory]
    [InlineData(false, 5, 3)]
    [InlineData(true, 4, 0)]
    public void EpochServesEveryIndexOnceWithTailOrDrop(bool dropLast, int batches, int tail)
    {
        using var loader = new ImageLoader(Toy(43), new LoaderOptions { BatchSize = 10, DropLast = dropLast }, new Rng(1));
        Assert.Equal(batches, loader.BatchCount);
        var seen = Collect(loader, 1);
        Assert.Equal(batches, seen.Count);
        Assert.Equal(10 * 192, seen[0].Images.Length);
        if (tail > 0) Assert.Equal(tail * 192, seen[^1].Images.Length);
        var indices = seen.SelectMany(s => s.Idx).ToArray();
        Assert.Equal(indices.Distinct().Count(), indices.Length);
        Assert.Equal(dropLast ? 40 : 43, indices.Length);
        Assert.All(seen, s => Assert.Equal(s.Idx.Select(i => i % 10), s.Labels));
    }

    [Fact]
    public void BatchesHoldTheAugmentedImagesOfTheirIndices()
    {
        var data = Toy(20);
        using var loader = new ImageLoader(data, LoaderOptions.Eval(batchSize: 20), new Rng(1));
        var batch = Collect(loader, 1).Single();
        Assert.Equal(Enumerable.Range(0, 20), batch.Idx);
        Assert.Equal(data.ToTensor().ToArray(), batch.Images);
        Assert.Equal([20, 3, 8, 8], loader.Epoch().First().Images.Shape);
    }

    [Fact]
    public void SameSeedSameBatchesDifferentSeedOrEpochDiffers()
    {
        var data = Toy(50);
        var options = new LoaderOptions { BatchSize = 16, Augmentation = Augmented };
        using var a = new ImageLoader(data, options, new Rng(7));
        using var b = new ImageLoader(data, options, new Rng(7));
        using var c = new ImageLoader(data, options, new Rng(8));
        var ra = Collect(a, 2);
        var rb = Collect(b, 2);
        var rc = Collect(c, 2);
        Assert.Equal(ra.Select(x => x.Images), rb.Select(x => x.Images));
        Assert.NotEqual(ra.Select(x => x.Idx), rc.Select(x => x.Idx));
        Assert.NotEqual(ra[0].Idx, ra[4].Idx); // epoch 1 reshuffles
    }

    [Fact]
    public void PrefetchAndEarlyExitDoNotChangeTheData()
    {
        var data = Toy(64);
        var options = new LoaderOptions { BatchSize = 8, Augmentation = Augmented };
        using var sync = new ImageLoader(data, options with { Prefetch = false }, new Rng(3));
        using var prefetch = new ImageLoader(data, options, new Rng(3));
        var expected = Collect(sync, 3);
        // Epoch 0 left after two batches, then epochs 1 and 2 in full.
        var partial = prefetch.Epoch().Take(2).Select(bt => bt.Images.ToArray()).ToList();
        var rest = Collect(prefetch, 2);
        Assert.Equal(expected.Take(2).Select(x => x.Images), partial);
        Assert.Equal(expected.Skip(8).Select(x => x.Images), rest.Select(x => x.Images));
        Assert.Equal(expected.Skip(8).Select(x => x.Idx), rest.Select(x => x.Idx));
    }

    [Fact]
    public void SubsetsAndSplitsAreRespected()
    {
        var data = Toy(100);
        var (train, valid) = DataSplit.HoldOut(100, 20, new Rng(42));
        Assert.Equal(80, train.Length);
        Assert.Empty(train.Intersect(valid));
        var small = DataSplit.Subset(train, 30, new Rng(1));
        Assert.Equal(30, small.Length);
        Assert.All(small, i => Assert.Contains(i, train));
        using var loader = new ImageLoader(data, new LoaderOptions { BatchSize = 7 }, new Rng(1), small);
        Assert.Equal(small, Collect(loader, 1).SelectMany(b => b.Idx).Order());

        var (sTrain, sValid) = DataSplit.HoldOutStratified(data.Labels, 0.2, new Rng(1));
        Assert.All(sValid.GroupBy(i => data.Labels[i]), g => Assert.Equal(2, g.Count()));
        Assert.Equal(100, sTrain.Length + sValid.Length);
        Assert.Equal(DataSplit.HoldOut(100, 20, new Rng(42)).Valid, valid);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SteadyStateIterationAllocatesNothing(bool prefetch)
    {
        var data = Toy(400);
        using var loader = new ImageLoader(data, new LoaderOptions { BatchSize = 16, Prefetch = prefetch, Augmentation = Augmented }, new Rng(1));
        Collect(loader, 1); // JIT and first-use costs
        using var e = loader.Epoch().GetEnumerator();
        Assert.True(e.MoveNext());
        Assert.True(e.MoveNext());
        var batches = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        while (e.MoveNext()) batches++;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(23, batches);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void DisposingMidEpochStopsTheWorkerWithoutHanging()
    {
        var loader = new ImageLoader(Toy(64), new LoaderOptions { BatchSize = 4 }, new Rng(1));
        using (var e = loader.Epoch().GetEnumerator())
        {
            e.MoveNext();
            e.MoveNext();
            loader.Dispose();
            // The worker may already have produced the next batch; after that the loader reports disposal.
            Assert.Throws<ObjectDisposedException>(() => { while (e.MoveNext()) { } });
        }
        Assert.Throws<ObjectDisposedException>(() => loader.Epoch());
    }

    [Fact]
    public void AnEpochMustEndBeforeTheNextStarts()
    {
        using var loader = new ImageLoader(Toy(16), new LoaderOptions { BatchSize = 4 }, new Rng(1));
        var unused = loader.Epoch(); // never enumerated: does not block later epochs
        using var first = loader.Epoch().GetEnumerator();
        first.MoveNext();
        Assert.Throws<InvalidOperationException>(() => loader.Epoch().GetEnumerator().MoveNext());
        first.Dispose();
        Assert.Equal(4, loader.Epoch().Count());
        Assert.NotNull(unused);
    }

    [Fact]
    public void RealFashionMnistLoaderProducesNormalisedBatches()
    {
        RealDatasetTests.RequireFashionMnist();
        var train = MnistFolder.LoadSplit(DataPaths.DebianFashionMnistDir, "train", "fashion-mnist", NormalizationStats.FashionMnist);
        using var loader = new ImageLoader(train, new LoaderOptions { BatchSize = 256 }, new Rng(1), DataSplit.Subset(DataSplit.All(train.Count), 2048, new Rng(2)));
        double sum = 0, sumSq = 0;
        long n = 0;
        foreach (var b in loader.Epoch())
            foreach (var v in b.Images.Span) { sum += v; sumSq += v * v; n++; }
        Assert.InRange(sum / n, -0.1, 0.1);
        Assert.InRange(Math.Sqrt(sumSq / n - Math.Pow(sum / n, 2)), 0.9, 1.1);
    }
}
