using System.Text;
using AsymNet.Data;

namespace AsymNet.Tests.Data;

public sealed class OgbNodeDatasetTests
{
    private static readonly OgbShape Free = new(null, null, null, null);

    private static string WriteOgb(TempDir tmp, Dictionary<string, byte[]> files)
    {
        var dir = tmp["arxiv"];
        DataFixtures.WriteFiles(dir, files);
        return dir;
    }

    [Fact]
    public void ReadsTheOfficialLayoutAndMakesEdgesUndirected()
    {
        using var tmp = new TempDir();
        var files = DataFixtures.OgbFiles(nodes: 20, features: 128, classes: 40, edges: 50);
        var g = OgbNodeDataset.Load(WriteOgb(tmp, files), new OgbShape(20, 128, 40, 50), "toy");
        Assert.Equal((20, 128, 40), (g.NodeCount, g.FeatureCount, g.ClassCount));
        Assert.Equal((10, 5, 5), (g.TrainIndex.Length, g.ValidIndex.Length, g.TestIndex.Length));
        var firstRow = Encoding.ASCII.GetString(Decompress(files["raw/node-feat.csv.gz"])).Split('\n')[0].Split(',');
        Assert.Equal(float.Parse(firstRow[5], System.Globalization.CultureInfo.InvariantCulture), g.Features.Span[5]);

        // Symmetric, sorted, duplicate-free, and exactly the union of both directions of the edge list.
        var expected = new HashSet<(int, int)>();
        foreach (var line in Encoding.ASCII.GetString(Decompress(files["raw/edge.csv.gz"])).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var p = line.Split(',').Select(int.Parse).ToArray();
            expected.Add((p[0], p[1]));
            expected.Add((p[1], p[0]));
        }
        var actual = new HashSet<(int, int)>();
        var a = g.Adjacency;
        for (var i = 0; i < a.NodeCount; i++)
        {
            var row = a.ColumnIndices.AsSpan(a.RowPointers[i], a.RowPointers[i + 1] - a.RowPointers[i]).ToArray();
            Assert.Equal(row.OrderBy(x => x).Distinct(), row);
            foreach (var j in row) actual.Add((i, j));
        }
        Assert.Equal(expected.OrderBy(e => e), actual.OrderBy(e => e));
    }

    [Fact]
    public void UndirectedMergesDuplicatesAndKeepsSelfLoopsOnce()
    {
        var csr = GraphDataset.Undirected(3, [0, 1, 0, 2, 2], [1, 0, 1, 2, 0]);
        Assert.Equal([0, 2, 3, 5], csr.RowPointers);
        Assert.Equal([1, 2, 0, 0, 2], csr.ColumnIndices);
    }

    public static TheoryData<string, string, string, string> Corruptions => new()
    {
        { "raw/node-feat.csv.gz", "0.5,abc", "line 1, field 2", "not a finite number" },
        { "raw/node-feat.csv.gz", "0.5,0.25\n0.1", "line 2", "1 fields, expected 2" },
        { "raw/node-label.csv.gz", "1\n7", "line 2, field 1", "label 7" },
        { "raw/node-label.csv.gz", "1", "line 2", "file ends after 1 labels, expected 3" },
        { "raw/edge.csv.gz", "0,1\n2,3", "line 2, field 2", "node 3, expected 0..2" },
        { "raw/edge.csv.gz", "0,1\n-1,0", "line 2, field 1", "node -1" },
        { "raw/num-node-list.csv.gz", "0", "line 1, field 1", "node count 0" },
        { "split/time/valid.csv.gz", "1\nx", "line 2, field 1", "'x' is not an integer" },
        { "split/time/test.csv.gz", "2\n0", "line 2, field 1", "node 0 is already in the train split" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void ErrorsNameTheFileLineAndExpectation(string file, string content, string location, string problem)
    {
        using var tmp = new TempDir();
        var files = new Dictionary<string, byte[]>
        {
            ["raw/num-node-list.csv.gz"] = Gz("3\n"),
            ["raw/node-feat.csv.gz"] = Gz("0.5,0.25\n1,2\n-3e-2,4\n"),
            ["raw/node-label.csv.gz"] = Gz("1\n0\n1\n"),
            ["raw/edge.csv.gz"] = Gz("0,1\n1,2\n"),
            ["split/time/train.csv.gz"] = Gz("0\n"),
            ["split/time/valid.csv.gz"] = Gz("1\n"),
            ["split/time/test.csv.gz"] = Gz("2\n"),
        };
        var dir = WriteOgb(tmp, files);
        Assert.Equal(3, OgbNodeDataset.Load(dir, new OgbShape(3, 2, 2, 2), "ok").NodeCount);
        File.WriteAllBytes(Path.Combine(dir, file), Gz(content + "\n"));
        var e = Assert.Throws<DataFormatException>(() => OgbNodeDataset.Load(dir, new OgbShape(null, null, 2, null), "bad"));
        Assert.Contains(location, e.Location);
        Assert.Contains(problem, e.Message);
        Assert.Contains(file.Split('/')[^1], e.File);
    }

    [Fact]
    public void ShapeExpectationsAreEnforced()
    {
        using var tmp = new TempDir();
        var dir = WriteOgb(tmp, DataFixtures.OgbFiles(10, 4, 3, 12));
        var e = Assert.Throws<DataFormatException>(() => OgbNodeDataset.Load(dir, OgbNodeDataset.ArxivShape));
        Assert.Contains("node count 10, expected 169343", e.Message);
        e = Assert.Throws<DataFormatException>(() => OgbNodeDataset.Load(dir, new OgbShape(10, 128, null, null)));
        Assert.Contains("4 features, expected 128", e.Message);
        Assert.Equal(3, OgbNodeDataset.Load(dir, Free).ClassCount);
    }

    [Fact]
    public void OverlongLineIsRejected()
    {
        using var tmp = new TempDir();
        File.WriteAllBytes(tmp["x.csv"], Encoding.ASCII.GetBytes(new string('1', CsvNumberReader.MaxLineBytes + 10)));
        using var csv = CsvNumberReader.Open(tmp["x.csv"]);
        var e = Assert.Throws<DataFormatException>(() => csv.NextLine());
        Assert.Contains("longer than", e.Message);
    }

    internal static byte[] Gz(string s) => DataFixtures.Gzip(Encoding.ASCII.GetBytes(s));

    internal static byte[] Decompress(byte[] gz)
    {
        using var input = new System.IO.Compression.GZipStream(new MemoryStream(gz), System.IO.Compression.CompressionMode.Decompress);
        using var ms = new MemoryStream();
        input.CopyTo(ms);
        return ms.ToArray();
    }
}
