using System.Text;
using AsymNet.Data;
using AsymNet.Tensors;

namespace AsymNet.Tests.Data;

/// <summary>
/// Thousands of random mutations (bit flips, byte edits, truncations, appends, header edits, deleted and duplicated
/// ranges) of small valid files per parser: each must parse or throw <see cref="DataFormatException"/>, nothing else.
/// </summary>
public sealed class FuzzTests
{
    private const int Iterations = 3000;

    /// <summary>A mutated copy of <paramref name="valid"/>; the description says what was done (for reproducing a failure).</summary>
    internal static (byte[] Bytes, string What) Mutate(byte[] valid, Rng rng)
    {
        var b = (byte[])valid.Clone();
        var n = b.Length;
        switch (rng.NextInt(7))
        {
            case 0:
                var flips = 1 + rng.NextInt(4);
                for (var i = 0; i < flips && n > 0; i++) b[rng.NextInt(n)] ^= (byte)(1 << rng.NextInt(8));
                return (b, $"{flips} bit flips");
            case 1:
                for (var i = 0; i < 1 + rng.NextInt(4) && n > 0; i++) b[rng.NextInt(n)] = (byte)rng.NextInt(256);
                return (b, "random bytes");
            case 2:
                var keep = rng.NextInt(n + 1);
                return (b[..keep], $"truncated to {keep}");
            case 3:
                var extra = new byte[1 + rng.NextInt(64)];
                for (var i = 0; i < extra.Length; i++) extra[i] = (byte)rng.NextInt(256);
                return ([.. b, .. extra], $"{extra.Length} bytes appended");
            case 4:
                var at = rng.NextInt(Math.Min(16, Math.Max(1, n)));
                byte[] specials = [0x00, 0xff, 0x7f, 0x80, (byte)rng.NextInt(256)];
                if (n > 0) b[at] = specials[rng.NextInt(specials.Length)];
                return (b, $"header byte {at} edited");
            case 5:
                var from = rng.NextInt(n + 1);
                var len = rng.NextInt(n - from + 1);
                return ([.. b[..from], .. b[(from + len)..]], $"deleted [{from}, {from + len})");
            default:
                var start = rng.NextInt(n + 1);
                var count = rng.NextInt(Math.Min(64, n - start) + 1);
                return ([.. b[..(start + count)], .. b[start..]], $"duplicated [{start}, {start + count})");
        }
    }

    /// <summary>Runs <paramref name="parse"/> on mutations; fails on any exception other than DataFormatException.</summary>
    internal static int Fuzz(byte[] valid, ulong seed, int iterations, Action<byte[]> parse)
    {
        parse(valid); // the original must be accepted
        var rng = new Rng(seed);
        var rejected = 0;
        for (var i = 0; i < iterations; i++)
        {
            var (bytes, what) = Mutate(valid, rng);
            try
            {
                parse(bytes);
            }
            catch (DataFormatException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"mutation {i} (seed {seed}, {what}) threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }
        return rejected;
    }

    private static DataInput Input(byte[] bytes) => DataInput.FromStream("fuzz", new MemoryStream(bytes));

    [Fact]
    public void IdxReaderRawAndGzip()
    {
        var valid = DataFixtures.Idx([3, 4, 5], DataFixtures.RandomBytes(60, 1));
        var rejected = Fuzz(valid, 1, Iterations, b => IdxReader.Read(Input(b)));
        Assert.True(rejected > Iterations / 3, $"only {rejected} mutations were rejected");
        Fuzz(DataFixtures.Gzip(valid), 2, Iterations, b => IdxReader.Read(Input(b)));
        Fuzz(valid, 3, Iterations / 2, b => IdxReader.Read(Input(DataFixtures.Gzip(b))));
    }

    [Fact]
    public void CifarBinaryRecords()
    {
        var valid = DataFixtures.CifarRecords(2, [20, 100], 4);
        var rejected = Fuzz(valid, 4, Iterations, b => CifarBinary.Read(Input(b), [20, 100], 1));
        Assert.True(rejected > Iterations / 4, $"only {rejected} mutations were rejected");
    }

    [Fact]
    public void NpmMnistJson()
    {
        var valid = Encoding.UTF8.GetBytes(NpmMnistDigitsTests.DigitJson(DataFixtures.RandomBytes(784, 5)));
        var rejected = Fuzz(valid, 5, Iterations, b => NpmMnistDigits.ParseDigits("fuzz.json", b));
        Assert.True(rejected > Iterations / 2, $"only {rejected} mutations were rejected");
    }

    [Fact]
    public void OgbCsvFolder()
    {
        using var tmp = new TempDir();
        var files = DataFixtures.OgbFiles(nodes: 6, features: 3, classes: 4, edges: 8);
        DataFixtures.WriteFiles(tmp.Path, files);
        var shape = new OgbShape(null, null, 4, null);
        var rng = new Rng(6);
        var rejected = 0;
        for (var round = 0; round < 4; round++)
            foreach (var (name, gz) in files)
            {
                var path = Path.Combine(tmp.Path, name);
                void Load(byte[] bytes)
                {
                    File.WriteAllBytes(path, bytes);
                    OgbNodeDataset.Load(tmp.Path, shape, "fuzz");
                }
                // Mutating the CSV text exercises the parser; mutating the gzip bytes, the decompression.
                rejected += Fuzz(OgbNodeDatasetTests.Decompress(gz), rng.NextUInt64(), 40, text => Load(DataFixtures.Gzip(text)));
                rejected += Fuzz(gz, rng.NextUInt64(), 20, Load);
                File.WriteAllBytes(path, gz);
            }
        Assert.True(rejected > 500, $"only {rejected} mutations were rejected");
    }

    [Fact]
    public void GraphCacheFile()
    {
        using var tmp = new TempDir();
        var g = new GraphDataset("g", Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 3, 2), [0, 1, 0], 2,
            GraphDataset.Undirected(3, [0, 1], [1, 2]), [0], [1], [2]);
        GraphCache.Write(tmp["g.bin"], g);
        var valid = File.ReadAllBytes(tmp["g.bin"]);
        var rejected = Fuzz(valid, 7, Iterations, b => GraphCache.Read(Input(b), "g"));
        Assert.True(rejected > Iterations * 9 / 10, $"only {rejected} mutations were rejected (the checksum should catch nearly all)");
    }

    [Theory]
    [InlineData("tar")]
    [InlineData("zip")]
    public void Archives(string kind)
    {
        using var tmp = new TempDir();
        var files = new Dictionary<string, byte[]> { ["a.bin"] = DataFixtures.RandomBytes(300, 8), ["sub/b.txt"] = Encoding.ASCII.GetBytes("hello") };
        var valid = kind == "tar" ? DataFixtures.TarGz("top", files) : DataFixtures.Zip("top", files);
        var archive = tmp["archive"];
        var i = 0;
        void Extract(byte[] b)
        {
            File.WriteAllBytes(archive, b);
            var dest = tmp[$"out{i++}"];
            Directory.CreateDirectory(dest);
            try
            {
                ArchiveExtractor.Extract(kind == "tar" ? ArchiveKind.TarGz : ArchiveKind.Zip, archive, dest, 1 << 20);
                Assert.True(Directory.GetFiles(tmp.Path).Length == 1, "an entry escaped the destination folder");
            }
            finally
            {
                Directory.Delete(dest, recursive: true);
            }
        }
        Fuzz(valid, 9, 1000, Extract);
        // The tar layer itself, under an intact gzip layer.
        if (kind == "tar") Fuzz(OgbNodeDatasetTests.Decompress(valid), 10, 1000, b => Extract(DataFixtures.Gzip(b)));
    }
}
