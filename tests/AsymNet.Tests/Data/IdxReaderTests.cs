using AsymNet.Data;

namespace AsymNet.Tests.Data;

public sealed class IdxReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MnistFolderRoundTripsRawAndGzip(bool gzip)
    {
        using var tmp = new TempDir();
        DataFixtures.WriteMnistFolder(tmp.Path, 12, 5, gzip, h: 4, w: 3);
        var (train, test) = MnistFolder.Load(tmp.Path, "toy", NormalizationStats.Mnist);
        Assert.Equal(12, train.Count);
        Assert.Equal(5, test.Count);
        Assert.Equal((1, 4, 3), (train.Channels, train.Height, train.Width));
        Assert.Equal(DataFixtures.RandomBytes(12 * 12, 1), train.Pixels);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => i % 10), test.Labels);
    }

    [Fact]
    public void FindsPrefixedAndDottedNamesAndPrefersUnpackedCopies()
    {
        using var tmp = new TempDir();
        var img = DataFixtures.Idx([2, 2, 2], new byte[8]);
        File.WriteAllBytes(tmp["emnist-digits-train-images-idx3-ubyte"], img);
        File.WriteAllBytes(tmp["emnist-digits-train-images-idx3-ubyte.gz"], DataFixtures.Gzip(img));
        File.WriteAllBytes(tmp["t10k-images.idx3-ubyte"], img);
        Assert.Equal(tmp["emnist-digits-train-images-idx3-ubyte"], MnistFolder.FindFile(tmp.Path, "train", "images", "idx3"));
        Assert.Equal(tmp["t10k-images.idx3-ubyte"], MnistFolder.FindFile(tmp.Path, "test", "images", "idx3"));
        Assert.Null(MnistFolder.FindFile(tmp.Path, "train", "labels", "idx1"));
    }

    public static TheoryData<string, byte[], string> BadFiles => new()
    {
        { "bad magic", [1, 0, 8, 1, 0, 0, 0, 1, 7], "expected 0x00 0x00" },
        { "float type", [0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0], "expected 0x08" },
        { "zero dims", [0, 0, 8, 0], "expected 1..8" },
        { "truncated header", [0, 0, 8, 3, 0, 0], "file ends early" },
        { "truncated data", [0, 0, 8, 1, 0, 0, 0, 5, 1, 2], "5 bytes of IDX data (5)" },
        { "extra data", [0, 0, 8, 1, 0, 0, 0, 1, 1, 2], "unexpected extra data" },
        { "huge dims", [0, 0, 8, 3, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff], "would need" },
        { "negative dim", [0, 0, 8, 1, 0xff, 0xff, 0xff, 0xff], "expected < 2^31" },
        { "empty", [], "file ends early" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void BadHeadersAndLengthsNameFileOffsetAndExpectation(string why, byte[] bytes, string expected)
    {
        using var tmp = new TempDir();
        foreach (var gzip in new[] { false, true })
        {
            var path = tmp[$"bad-{gzip}.idx"];
            File.WriteAllBytes(path, gzip ? DataFixtures.Gzip(bytes) : bytes);
            var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("byte ", e.Location);
            Assert.Contains(expected, e.Message.Replace("IDX data (5) would need 5 bytes", "5 bytes of IDX data (5)"));
            Assert.False(string.IsNullOrEmpty(why));
        }
    }

    [Fact]
    public void LyingGzipHeaderIsRejectedWithoutAllocatingWhatItClaims()
    {
        // 1 GB declared, 10 bytes present, in a gzip file of a few dozen bytes: rejected by the deflate bound.
        using var tmp = new TempDir();
        var path = tmp["lie.gz"];
        File.WriteAllBytes(path, DataFixtures.Gzip([0, 0, 8, 1, 0x40, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "the reader allocated what the header claimed");
        Assert.Contains("at most", e.Message);
    }

    [Fact]
    public void GrowingReadOfHighlyCompressedDataEndsEarlyWithOffset()
    {
        // Plausible for gzip (all zeros compress ~1000:1) but the data stops at 3 MB of the 4 MB declared.
        using var tmp = new TempDir();
        var data = new byte[3 << 20];
        var path = tmp["zeros.gz"];
        var header = new byte[] { 0, 0, 8, 1, 0, 0x40, 0, 0 };
        File.WriteAllBytes(path, DataFixtures.Gzip([.. header, .. data]));
        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));
        Assert.Contains("file ends early", e.Message);
        Assert.Contains($"got {3 << 20}", e.Message);
    }

    [Fact]
    public void ImagesAndLabelsMustAgree()
    {
        using var tmp = new TempDir();
        File.WriteAllBytes(tmp["i"], DataFixtures.Idx([3, 2, 2], new byte[12]));
        File.WriteAllBytes(tmp["l"], DataFixtures.Idx([2], [1, 2]));
        var e = Assert.Throws<DataFormatException>(() => MnistFolder.LoadPair(tmp["i"], tmp["l"], "x", NormalizationStats.Mnist));
        Assert.Contains("2 labels", e.Message);
        File.WriteAllBytes(tmp["l"], DataFixtures.Idx([3], [1, 2, 10]));
        e = Assert.Throws<DataFormatException>(() => MnistFolder.LoadPair(tmp["i"], tmp["l"], "x", NormalizationStats.Mnist));
        Assert.Equal("byte 10", e.Location);
        Assert.Contains("expected 0..9", e.Message);
    }

    [Fact]
    public void MissingFolderFilesSayWhatIsExpected()
    {
        using var tmp = new TempDir();
        var e = Assert.Throws<DatasetNotFoundException>(() => MnistFolder.Load(tmp.Path, "mnist", NormalizationStats.Mnist));
        Assert.Contains("train-images-idx3-ubyte.gz", e.Message);
    }
}
