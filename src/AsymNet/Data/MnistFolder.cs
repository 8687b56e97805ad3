namespace AsymNet.Data;

/// <summary>
/// Loads an MNIST-family folder (MNIST, Fashion-MNIST, KMNIST, …): IDX files named like
/// <c>train-images-idx3-ubyte[.gz]</c>, <c>train-labels-idx1-ubyte[.gz]</c>, <c>t10k-…</c> (or <c>test-…</c>),
/// optionally with a prefix such as <c>emnist-digits-</c> and a '.' instead of the '-' before "idx".
/// </summary>
public static class MnistFolder
{
    public static (ImageDataset Train, ImageDataset Test) Load(string dir, string name, NormalizationStats stats, int classCount = 10) =>
        (LoadSplit(dir, "train", name, stats, classCount), LoadSplit(dir, "test", name, stats, classCount));

    /// <summary>One split ("train" or "test"; "test" files are also found as "t10k").</summary>
    public static ImageDataset LoadSplit(string dir, string split, string name, NormalizationStats stats, int classCount = 10)
    {
        var images = FindFile(dir, split, "images", "idx3")
                     ?? throw new DatasetNotFoundException(name, $"no {split} images IDX file (e.g. {Expected(split, "images", "idx3")}) in {dir}");
        var labels = FindFile(dir, split, "labels", "idx1")
                     ?? throw new DatasetNotFoundException(name, $"no {split} labels IDX file (e.g. {Expected(split, "labels", "idx1")}) in {dir}");
        return LoadPair(images, labels, $"{name}-{split}", stats, classCount);
    }

    /// <summary>Pairs an images file [N, H, W] with a labels file [N] into a one-channel dataset.</summary>
    public static ImageDataset LoadPair(string imagesPath, string labelsPath, string name, NormalizationStats stats, int classCount = 10)
    {
        var images = IdxReader.Read(imagesPath);
        if (images.Dims.Length != 3)
            throw DataFormatException.AtByte(imagesPath, 3, $"images have {images.Dims.Length} dimensions, expected 3 (count, rows, columns)");
        if (images.Dims[1] == 0 || images.Dims[2] == 0)
            throw DataFormatException.AtByte(imagesPath, 8, $"image size {images.Dims[1]}x{images.Dims[2]}, expected positive rows and columns");
        var labelArray = IdxReader.Read(labelsPath);
        if (labelArray.Dims.Length != 1)
            throw DataFormatException.AtByte(labelsPath, 3, $"labels have {labelArray.Dims.Length} dimensions, expected 1");
        if (labelArray.Dims[0] != images.Dims[0])
            throw DataFormatException.AtByte(labelsPath, 4,
                $"{labelArray.Dims[0]} labels, but {Path.GetFileName(imagesPath)} holds {images.Dims[0]} images");
        var labels = new int[labelArray.Data.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = labelArray.Data[i];
            if (labels[i] >= classCount)
                throw DataFormatException.AtByte(labelsPath, 8 + i, $"label {labels[i]}, expected 0..{classCount - 1}");
        }
        return new ImageDataset(name, images.Data, labels, 1, images.Dims[1], images.Dims[2], classCount, stats);
    }

    /// <summary>The single file in <paramref name="dir"/> for (split, kind), or null when there is none.</summary>
    public static string? FindFile(string dir, string split, string kind, string idx)
    {
        if (!Directory.Exists(dir)) return null;
        var splitNames = split == "test" ? new[] { "t10k", "test" } : [split];
        var matches = new List<string>();
        foreach (var path in Directory.EnumerateFiles(dir))
        {
            var file = Path.GetFileName(path);
            if (file.EndsWith(".gz", StringComparison.Ordinal)) file = file[..^3];
            foreach (var s in splitNames)
                if (file.EndsWith($"{s}-{kind}-{idx}-ubyte", StringComparison.Ordinal) ||
                    file.EndsWith($"{s}-{kind}.{idx}-ubyte", StringComparison.Ordinal))
                    matches.Add(path);
        }
        if (matches.Count > 1)
        {
            matches.Sort(StringComparer.Ordinal);
            // A folder holding both the .gz and the unpacked copy is fine: prefer the unpacked one (faster).
            var unpacked = matches.Where(m => !m.EndsWith(".gz", StringComparison.Ordinal)).ToList();
            if (unpacked.Count == 1 && matches.All(m => m == unpacked[0] || m == unpacked[0] + ".gz")) return unpacked[0];
            throw new DataFormatException(dir, "folder", $"several {split} {kind} files: {string.Join(", ", matches.Select(Path.GetFileName))}");
        }
        return matches.Count == 1 ? matches[0] : null;
    }

    private static string Expected(string split, string kind, string idx) =>
        $"{(split == "test" ? "t10k" : split)}-{kind}-{idx}-ubyte.gz";
}
