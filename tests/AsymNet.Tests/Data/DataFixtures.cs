using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using AsymNet.Data;
using AsymNet.Tensors;

namespace AsymNet.Tests.Data;

/// <summary>Small files in the official dataset formats, generated from a seed.</summary>
public static class DataFixtures
{
    public static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    public static byte[] RandomBytes(int n, ulong seed, int maxExclusive = 256)
    {
        var rng = new Rng(seed);
        var b = new byte[n];
        for (var i = 0; i < n; i++) b[i] = (byte)rng.NextInt(maxExclusive);
        return b;
    }

    public static byte[] Idx(int[] dims, byte[] data)
    {
        using var ms = new MemoryStream();
        IdxWriter.Write(ms, dims, data);
        return ms.ToArray();
    }

    /// <summary>An MNIST-style folder: n images of h x w with labels i mod classes; gzipped or raw.</summary>
    public static void WriteMnistFolder(string dir, int nTrain, int nTest, bool gzip, int h = 28, int w = 28, ulong seed = 1)
    {
        Directory.CreateDirectory(dir);
        foreach (var (split, n) in new[] { ("train", nTrain), ("t10k", nTest) })
        {
            var images = Idx([n, h, w], RandomBytes(n * h * w, seed++));
            var labels = Idx([n], Enumerable.Range(0, n).Select(i => (byte)(i % 10)).ToArray());
            var suffix = gzip ? ".gz" : "";
            File.WriteAllBytes(Path.Combine(dir, $"{split}-images-idx3-ubyte{suffix}"), gzip ? Gzip(images) : images);
            File.WriteAllBytes(Path.Combine(dir, $"{split}-labels-idx1-ubyte{suffix}"), gzip ? Gzip(labels) : labels);
        }
    }

    /// <summary>CIFAR binary records: label bytes below each limit, then 3,072 pixel bytes.</summary>
    public static byte[] CifarRecords(int n, int[] labelLimits, ulong seed)
    {
        var rng = new Rng(seed);
        var record = labelLimits.Length + CifarBinary.ImageBytes;
        var b = new byte[n * record];
        for (var i = 0; i < n; i++)
        {
            for (var l = 0; l < labelLimits.Length; l++) b[i * record + l] = (byte)rng.NextInt(labelLimits[l]);
            for (var p = 0; p < CifarBinary.ImageBytes; p++) b[i * record + labelLimits.Length + p] = (byte)rng.NextInt(256);
        }
        return b;
    }

    /// <summary>The files of cifar-10-batches-bin with <paramref name="perFile"/> records each.</summary>
    public static Dictionary<string, byte[]> Cifar10Files(int perFile, ulong seed = 3)
    {
        var files = new Dictionary<string, byte[]>();
        foreach (var f in CifarBinary.Cifar10TrainFiles.Append(CifarBinary.Cifar10TestFile))
            files[f] = CifarRecords(perFile, [10], seed++);
        files["batches.meta.txt"] = Encoding.ASCII.GetBytes("airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n");
        return files;
    }

    public static Dictionary<string, byte[]> Cifar100Files(int nTrain, int nTest, ulong seed = 5) => new()
    {
        [CifarBinary.Cifar100TrainFile] = CifarRecords(nTrain, [20, 100], seed),
        [CifarBinary.Cifar100TestFile] = CifarRecords(nTest, [20, 100], seed + 1),
    };

    /// <summary>An OGB node-property folder layout (relative path → file bytes), all CSVs gzipped like the official zip.</summary>
    public static Dictionary<string, byte[]> OgbFiles(int nodes, int features, int classes, int edges, ulong seed = 7)
    {
        var rng = new Rng(seed);
        string Lines(IEnumerable<string> lines) => string.Concat(lines.Select(l => l + "\n"));
        byte[] Gz(string text) => Gzip(Encoding.ASCII.GetBytes(text));
        var feat = Lines(Enumerable.Range(0, nodes).Select(_ =>
            string.Join(",", Enumerable.Range(0, features).Select(_ => (rng.NextFloat() * 2 - 1).ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture)))));
        var labels = Lines(Enumerable.Range(0, nodes).Select(i => (i % classes).ToString()));
        var edgeLines = Lines(Enumerable.Range(0, edges).Select(_ => $"{rng.NextInt(nodes)},{rng.NextInt(nodes)}"));
        var perm = rng.Permutation(nodes);
        var nTrain = nodes / 2;
        var nValid = nodes / 4;
        return new Dictionary<string, byte[]>
        {
            ["raw/num-node-list.csv.gz"] = Gz($"{nodes}\n"),
            ["raw/num-edge-list.csv.gz"] = Gz($"{edges}\n"),
            ["raw/node-feat.csv.gz"] = Gz(feat),
            ["raw/node-label.csv.gz"] = Gz(labels),
            ["raw/edge.csv.gz"] = Gz(edgeLines),
            ["split/time/train.csv.gz"] = Gz(Lines(perm[..nTrain].Select(i => i.ToString()))),
            ["split/time/valid.csv.gz"] = Gz(Lines(perm[nTrain..(nTrain + nValid)].Select(i => i.ToString()))),
            ["split/time/test.csv.gz"] = Gz(Lines(perm[(nTrain + nValid)..].Select(i => i.ToString()))),
        };
    }

    public static void WriteFiles(string dir, IReadOnlyDictionary<string, byte[]> files)
    {
        foreach (var (rel, bytes) in files)
        {
            var path = Path.Combine(dir, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
    }

    /// <summary>A .tar.gz holding the files under <paramref name="top"/>/ (like cifar-10-batches-bin/).</summary>
    public static byte[] TarGz(string top, IReadOnlyDictionary<string, byte[]> files)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gz, TarEntryFormat.Gnu, leaveOpen: true))
        {
            tar.WriteEntry(new GnuTarEntry(TarEntryType.Directory, top + "/"));
            foreach (var (rel, bytes) in files)
                tar.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, $"{top}/{rel}") { DataStream = new MemoryStream(bytes) });
        }
        return ms.ToArray();
    }

    /// <summary>A .zip holding the files under <paramref name="top"/>/ (like arxiv.zip's arxiv/).</summary>
    public static byte[] Zip(string top, IReadOnlyDictionary<string, byte[]> files)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry(top + "/");
            foreach (var (rel, bytes) in files)
            {
                using var s = zip.CreateEntry($"{top}/{rel}", CompressionLevel.Fastest).Open();
                s.Write(bytes);
            }
        }
        return ms.ToArray();
    }
}
