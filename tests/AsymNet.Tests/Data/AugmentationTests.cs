using AsymNet.Data;
using AsymNet.Tensors;

namespace AsymNet.Tests.Data;

public sealed class AugmentationTests
{
    private static readonly NormalizationStats Unit = new("unit", [0f], [1f]);

    /// <summary>A byte on the [0, 1] scale exactly as the converter computes it.</summary>
    private static float U(int b) => b * (1f / 255f);

    /// <summary>A 1x4x4 image with pixel k = k (so values k/255 identify positions).</summary>
    private static byte[] Ramp(int side = 4, int channels = 1) => Enumerable.Range(0, channels * side * side).Select(i => (byte)i).ToArray();

    private static float[] Run(AugmentationPipeline p, byte[] image, int c, int h, int w, Action<Augmenter> draw)
    {
        var a = new Augmenter(p, c, h, w);
        draw(a);
        var dst = new float[image.Length];
        a.Apply(image, dst);
        return dst;
    }

    /// <summary>Sets a step's draws by searching seeds until the generator produces them (keeps the test black-box).</summary>
    private static Rng SeedDrawing(AugmentationPipeline p, int c, int h, int w, Func<float[], bool> accept, byte[] image)
    {
        for (ulong seed = 0; seed < 10_000; seed++)
        {
            var rng = new Rng(seed);
            if (accept(Run(p, image, c, h, w, a => a.Draw(rng)))) return new Rng(seed);
        }
        throw new InvalidOperationException("no seed produced the wanted draw");
    }

    [Fact]
    public void NormalizeUsesPerChannelStatistics()
    {
        var stats = new NormalizationStats("two", [0.5f, 0.25f], [0.5f, 2f]);
        var image = new byte[] { 0, 255, 51, 102 }; // 2 channels of 1x2
        var outp = Run(AugmentationPipeline.NormalizeOnly(stats), image, 2, 1, 2, _ => { });
        Assert.Equal([-1f, 1f, (0.2f - 0.25f) / 2f, (0.4f - 0.25f) / 2f], outp, new FloatEq(1e-6f));
    }

    [Theory]
    [InlineData(PadMode.Constant)]
    [InlineData(PadMode.Reflect)]
    public void EveryCropOffsetMatchesAHandPaddedImage(PadMode mode)
    {
        const int side = 4, pad = 2;
        var image = Ramp(side);
        var pipeline = new AugmentationPipeline([new NormalizeStep(Unit), new RandomCropStep(pad, mode, mode == PadMode.Constant ? [-7f] : null)]);
        var seen = new HashSet<(int, int)>();
        for (ulong seed = 0; seed < 400; seed++)
        {
            var got = Run(pipeline, image, 1, side, side, a => a.Draw(new Rng(seed)));
            // Identify the offset from the output and compare against explicit padding + crop.
            var match = false;
            for (var dy = 0; dy <= 2 * pad && !match; dy++)
            for (var dx = 0; dx <= 2 * pad && !match; dx++)
            {
                var expected = new float[side * side];
                for (var y = 0; y < side; y++)
                for (var x = 0; x < side; x++)
                {
                    int sy = y + dy - pad, sx = x + dx - pad;
                    if (mode == PadMode.Reflect)
                    {
                        sy = sy < 0 ? -sy : sy >= side ? 2 * (side - 1) - sy : sy;
                        sx = sx < 0 ? -sx : sx >= side ? 2 * (side - 1) - sx : sx;
                        expected[y * side + x] = U(image[sy * side + sx]);
                    }
                    else
                    {
                        expected[y * side + x] = sy is >= 0 and < side && sx is >= 0 and < side ? U(image[sy * side + sx]) : -7f;
                    }
                }
                if (expected.SequenceEqual(got)) { match = true; seen.Add((dy, dx)); }
            }
            Assert.True(match, $"seed {seed}: output is no padded crop");
        }
        Assert.Equal(25, seen.Count); // all (2·pad+1)² offsets occur
    }

    [Fact]
    public void FlipMirrorsRowsWithTheGivenProbability()
    {
        var image = Ramp();
        var pipeline = new AugmentationPipeline([new NormalizeStep(Unit), new HorizontalFlipStep(0.25)]);
        var flips = 0;
        for (ulong seed = 0; seed < 4000; seed++)
        {
            var got = Run(pipeline, image, 1, 4, 4, a => a.Draw(new Rng(seed)));
            if (got[0] == U(3))
            {
                flips++;
                Assert.Equal([U(3), U(2), U(1), 0f], got[..4]);
            }
            else Assert.Equal(image.Select(b => U(b)), got);
        }
        Assert.InRange(flips / 4000.0, 0.22, 0.28);
    }

    [Fact]
    public void CutoutFillsOneSquareInsideTheImage()
    {
        var image = Enumerable.Repeat((byte)255, 3 * 6 * 6).ToArray();
        float[] fill = [0.1f, 0.2f, 0.3f];
        var pipeline = new AugmentationPipeline([new CutoutStep(2, fill)]);
        var corners = new HashSet<(int, int)>();
        for (ulong seed = 0; seed < 300; seed++)
        {
            var got = Run(pipeline, image, 3, 6, 6, a => a.Draw(new Rng(seed)));
            for (var c = 0; c < 3; c++)
            {
                var filled = Enumerable.Range(0, 36).Where(i => got[c * 36 + i] != 1f).ToArray();
                Assert.Equal(4, filled.Length);
                Assert.All(filled, i => Assert.Equal(fill[c], got[c * 36 + i]));
                var (y0, x0) = (filled[0] / 6, filled[0] % 6);
                Assert.Equal([y0 * 6 + x0, y0 * 6 + x0 + 1, (y0 + 1) * 6 + x0, (y0 + 1) * 6 + x0 + 1], filled);
                corners.Add((y0, x0));
            }
        }
        Assert.Equal(25, corners.Count); // top-left uniform over {0..4}²
    }

    [Fact]
    public void StepOrderDecidesWhetherFillIsBeforeOrAfterNormalisation()
    {
        var stats = new NormalizationStats("s", [0.5f], [0.25f]);
        var image = Enumerable.Repeat((byte)0, 16).ToArray();
        var after = new AugmentationPipeline([new NormalizeStep(stats), new RandomCropStep(4)]);
        var before = new AugmentationPipeline([new RandomCropStep(4), new NormalizeStep(stats)]);
        // With padding 4 on a 4x4 image some offset leaves a fully padded output.
        var rngA = SeedDrawing(after, 1, 4, 4, o => o.All(v => v == 0f), image);
        var rngB = SeedDrawing(before, 1, 4, 4, o => o.All(v => v == -2f), image);
        Assert.NotNull(rngA);
        Assert.NotNull(rngB);
    }

    [Fact]
    public void PerBatchSharesOneDrawPerImageDoesNot()
    {
        var data = new ImageDataset("r", Enumerable.Repeat(Ramp(), 64).SelectMany(b => b).ToArray(), new int[64], 1, 4, 4, 1, Unit);
        var indices = Enumerable.Range(0, 64).ToArray();
        foreach (var perBatch in new[] { true, false })
        {
            var p = new AugmentationPipeline([new HorizontalFlipStep(), new RandomCropStep(1)], perBatch);
            var dst = new float[64 * 16];
            new Augmenter(p, 1, 4, 4).ApplyBatch(data, indices, dst, new Rng(5));
            var distinct = Enumerable.Range(0, 64).Select(i => string.Join(",", dst.AsSpan(i * 16, 16).ToArray())).Distinct().Count();
            if (perBatch) Assert.Equal(1, distinct);
            else Assert.True(distinct > 5);
        }
    }

    [Fact]
    public void SameSeedSameAugmentation()
    {
        var image = DataFixtures.RandomBytes(3 * 32 * 32, 9);
        var data = new ImageDataset("c", Enumerable.Repeat(image, 8).SelectMany(b => b).ToArray(), new int[8], 3, 32, 32, 10, NormalizationStats.Cifar10);
        float[] Once(ulong seed)
        {
            var dst = new float[8 * 3072];
            new Augmenter(AugmentationRecipes.MetanetFfcv, 3, 32, 32).ApplyBatch(data, Enumerable.Range(0, 8).ToArray(), dst, new Rng(seed));
            return dst;
        }
        Assert.Equal(Once(1), Once(1));
        Assert.NotEqual(Once(1), Once(2));
    }

    [Fact]
    public void PaperRecipesAreExpressedAsDocumented()
    {
        Assert.Equal("normalize(imagenet) → hflip(p=0.5) → crop(pad=4, fill=0) [per batch]", AugmentationRecipes.LmcCifar.Describe());
        Assert.Equal("normalize(bnn-cifar) → crop(pad=4, reflect) → hflip(p=0.5)", AugmentationRecipes.BnnCifar.Describe());
        Assert.Equal("hflip(p=0.5) → crop(pad=2, fill=0.4902/0.4784/0.4431) → cutout(4, fill=0.4902/0.4784/0.4431) → normalize(ffcv-cifar)",
            AugmentationRecipes.MetanetFfcv.Describe());
        Assert.Equal("normalize(mnist)", AugmentationRecipes.LmcMnist.Describe());
        Assert.False(AugmentationRecipes.LmcCifarPerImage.PerBatch);
        Assert.Equal(6, AugmentationRecipes.ByName.Count);
    }

    [Fact]
    public void InvalidConfigurationsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new Augmenter(AugmentationPipeline.NormalizeOnly(NormalizationStats.Cifar10), 1, 28, 28));
        Assert.Throws<ArgumentException>(() => new Augmenter(new([new RandomCropStep(4, PadMode.Reflect)]), 1, 4, 4));
        Assert.Throws<ArgumentException>(() => new Augmenter(new([new CutoutStep(5)]), 1, 4, 4));
        Assert.Throws<ArgumentException>(() => new Augmenter(new([new RandomCropStep(1, PadMode.Constant, [0f, 0f])]), 1, 4, 4));
    }

    private sealed class FloatEq(float tol) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tol;
        public int GetHashCode(float f) => 0;
    }
}
