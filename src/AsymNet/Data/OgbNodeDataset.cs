using AsymNet.Tensors;

namespace AsymNet.Data;

/// <summary>Sizes a node dataset must have; null entries are not checked.</summary>
public sealed record OgbShape(int? Nodes, int? Features, int? Classes, int? DirectedEdges);

/// <summary>
/// Reader for an OGB node-property-prediction folder as unpacked from its official zip (e.g. arxiv.zip):
/// headerless CSVs <c>raw/num-node-list.csv.gz</c> (node count), <c>raw/node-feat.csv.gz</c> (one row of floats per
/// node), <c>raw/node-label.csv.gz</c> (one integer per node), <c>raw/edge.csv.gz</c> ("source,target" per directed
/// edge) and <c>split/&lt;name&gt;/{train,valid,test}.csv.gz</c> (node indices; arxiv's split is "time").
/// Edges are made undirected as PyG's ToUndirected does.
/// </summary>
public static class OgbNodeDataset
{
    /// <summary>ogbn-arxiv: 169,343 papers, 128-d features, 40 subject areas, 1,166,243 directed citations.</summary>
    public static readonly OgbShape ArxivShape = new(169_343, 128, 40, 1_166_243);

    public static GraphDataset Load(string dir, OgbShape shape, string name = "ogbn-arxiv")
    {
        var raw = Path.Combine(dir, "raw");
        var nodes = ReadNodeCount(Find(raw, "num-node-list", name), shape);
        var (labels, classes) = ReadLabels(Find(raw, "node-label", name), nodes, shape);
        var features = ReadFeatures(Find(raw, "node-feat", name), nodes, shape);
        var adjacency = ReadEdges(Find(raw, "edge", name), nodes, shape);
        var splitDir = SplitDir(dir, name);
        var owner = new string?[nodes];
        var train = ReadIndices(Find(splitDir, "train", name), owner, "train");
        var valid = ReadIndices(Find(splitDir, "valid", name), owner, "valid");
        var test = ReadIndices(Find(splitDir, "test", name), owner, "test");
        return new GraphDataset(name, features, labels, classes, adjacency, train, valid, test);
    }

    private static int ReadNodeCount(string path, OgbShape shape)
    {
        using var csv = CsvNumberReader.Open(path);
        if (!csv.NextLine()) throw DataFormatException.AtLine(path, 1, "empty file, expected the node count");
        csv.ExpectFields(1, "the node count");
        var n = csv.GetInt(0);
        if (n <= 0) throw csv.Error(0, $"node count {n}, expected a positive number");
        if (shape.Nodes is { } want && n != want) throw csv.Error(0, $"node count {n}, expected {want}");
        if (csv.NextLine()) throw DataFormatException.AtLine(path, csv.LineNumber, "extra line, expected one graph");
        return n;
    }

    private static (int[] Labels, int Classes) ReadLabels(string path, int nodes, OgbShape shape)
    {
        using var csv = CsvNumberReader.Open(path);
        RequireCapacity(csv, nodes, 2, "labels");
        var labels = new int[nodes];
        var max = -1;
        for (var i = 0; i < nodes; i++)
        {
            if (!csv.NextLine()) throw DataFormatException.AtLine(path, csv.LineNumber + 1, $"file ends after {i} labels, expected {nodes}");
            csv.ExpectFields(1, "one label per node");
            var l = csv.GetInt(0);
            if (l < 0 || (shape.Classes is { } c && l >= c))
                throw csv.Error(0, $"label {l}, expected 0..{(shape.Classes ?? int.MaxValue) - 1}");
            labels[i] = l;
            max = Math.Max(max, l);
        }
        if (csv.NextLine()) throw DataFormatException.AtLine(path, csv.LineNumber, $"more than {nodes} labels");
        return (labels, shape.Classes ?? max + 1);
    }

    private static Tensor ReadFeatures(string path, int nodes, OgbShape shape)
    {
        using var csv = CsvNumberReader.Open(path);
        if (!csv.NextLine()) throw DataFormatException.AtLine(path, 1, $"empty file, expected {nodes} feature rows");
        var width = csv.FieldCount;
        if (shape.Features is { } f && width != f) throw DataFormatException.AtLine(path, 1, $"{width} features, expected {f}");
        RequireCapacity(csv, (long)nodes * width, 2, "feature values");
        var features = Tensor.Persistent(nodes, width);
        var data = features.Span;
        for (var i = 0; i < nodes; i++)
        {
            if (i > 0 && !csv.NextLine())
                throw DataFormatException.AtLine(path, csv.LineNumber + 1, $"file ends after {i} feature rows, expected {nodes}");
            csv.ExpectFields(width, "features per node");
            var row = data.Slice(i * width, width);
            for (var j = 0; j < width; j++) row[j] = csv.GetFloat(j);
        }
        if (csv.NextLine()) throw DataFormatException.AtLine(path, csv.LineNumber, $"more than {nodes} feature rows");
        return features;
    }

    private static CsrAdjacency ReadEdges(string path, int nodes, OgbShape shape)
    {
        using var csv = CsvNumberReader.Open(path);
        var sources = new List<int>();
        var targets = new List<int>();
        while (csv.NextLine())
        {
            csv.ExpectFields(2, "source,target");
            sources.Add(Node(csv, 0, nodes));
            targets.Add(Node(csv, 1, nodes));
        }
        if (shape.DirectedEdges is { } e && sources.Count != e)
            throw DataFormatException.AtLine(path, csv.LineNumber, $"{sources.Count} edges, expected {e}");
        return GraphDataset.Undirected(nodes, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(sources),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(targets));
    }

    /// <summary>A split's node indices; <paramref name="owner"/> records which split took each node, so overlaps name the line.</summary>
    private static int[] ReadIndices(string path, string?[] owner, string split)
    {
        using var csv = CsvNumberReader.Open(path);
        var list = new List<int>();
        while (csv.NextLine())
        {
            csv.ExpectFields(1, "one node index per line");
            var v = Node(csv, 0, owner.Length);
            if (owner[v] is { } other) throw csv.Error(0, $"node {v} is already in the {other} split, expected disjoint splits");
            owner[v] = split;
            list.Add(v);
        }
        return list.ToArray();
    }

    private static int Node(CsvNumberReader csv, int field, int nodes)
    {
        var v = csv.GetInt(field);
        if ((uint)v >= (uint)nodes) throw csv.Error(field, $"node {v}, expected 0..{nodes - 1}");
        return v;
    }

    /// <summary>Rejects counts the file is too small to hold (each value takes at least <paramref name="bytesEach"/> bytes).</summary>
    private static void RequireCapacity(CsvNumberReader csv, long values, int bytesEach, string what)
    {
        if (values > csv.MaxLength / bytesEach || values > Array.MaxLength)
            throw DataFormatException.Whole(csv.Name, $"cannot hold {values} {what} (at most {csv.MaxLength / bytesEach} fit)");
    }

    private static string SplitDir(string dir, string name)
    {
        var root = Path.Combine(dir, "split");
        var time = Path.Combine(root, "time");
        if (Directory.Exists(time)) return time;
        var subdirs = Directory.Exists(root) ? Directory.GetDirectories(root) : [];
        return subdirs.Length == 1 ? subdirs[0] : throw new DatasetNotFoundException(name, $"no split folder (expected {time})");
    }

    private static string Find(string dir, string stem, string name)
    {
        foreach (var candidate in new[] { $"{stem}.csv.gz", $"{stem}.csv" })
        {
            var path = Path.Combine(dir, candidate);
            if (File.Exists(path)) return path;
        }
        throw new DatasetNotFoundException(name, $"{Path.Combine(dir, stem + ".csv.gz")} is missing");
    }
}
