namespace AsymNet.Data;

/// <summary>Which CIFAR-100 label a dataset uses.</summary>
public enum Cifar100Labels { Fine, Coarse }

/// <summary>
/// Reader for the CIFAR "binary version" (as unpacked from cifar-10-binary.tar.gz / cifar-100-binary.tar.gz).
/// Each record is the label byte(s) followed by 3,072 pixel bytes: the 32x32 red plane, then green, then blue,
/// which is already [C, H, W]. CIFAR-10 records have 1 label byte (0..9); CIFAR-100 records have a coarse (0..19)
/// then a fine (0..99) label byte.
/// </summary>
public static class CifarBinary
{
    public const int ImageBytes = 3 * 32 * 32;
    public static readonly string[] Cifar10TrainFiles = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];
    public const string Cifar10TestFile = "test_batch.bin";
    public const string Cifar100TrainFile = "train.bin";
    public const string Cifar100TestFile = "test.bin";
    private static readonly int[] Cifar10LabelLimits = [10];
    private static readonly int[] Cifar100LabelLimits = [20, 100];

    /// <summary>CIFAR-10 from a folder holding data_batch_1..5.bin and test_batch.bin.</summary>
    public static (ImageDataset Train, ImageDataset Test) LoadCifar10(string dir) =>
        (Merge("cifar10-train", Cifar10TrainFiles.Select(f => ReadFile(Require(dir, f, "cifar10"), Cifar10LabelLimits, 0)).ToList(), 10, NormalizationStats.Cifar10),
         Merge("cifar10-test", [ReadFile(Require(dir, Cifar10TestFile, "cifar10"), Cifar10LabelLimits, 0)], 10, NormalizationStats.Cifar10));

    /// <summary>CIFAR-100 from a folder holding train.bin and test.bin.</summary>
    public static (ImageDataset Train, ImageDataset Test) LoadCifar100(string dir, Cifar100Labels labels = Cifar100Labels.Fine)
    {
        var which = labels == Cifar100Labels.Fine ? 1 : 0;
        var classes = Cifar100LabelLimits[which];
        var train = ReadFile(Require(dir, Cifar100TrainFile, "cifar100"), Cifar100LabelLimits, which);
        var test = ReadFile(Require(dir, Cifar100TestFile, "cifar100"), Cifar100LabelLimits, which);
        return (Merge("cifar100-train", [train], classes, NormalizationStats.Cifar100),
                Merge("cifar100-test", [test], classes, NormalizationStats.Cifar100));
    }

    /// <summary>
    /// Reads one binary batch file whose records start with one label byte per entry of <paramref name="labelLimits"/>
    /// (each checked against its limit: [10] for CIFAR-10, [20, 100] for CIFAR-100's coarse and fine labels);
    /// <paramref name="labelIndex"/> picks the label returned.
    /// </summary>
    public static (byte[] Pixels, int[] Labels) ReadFile(string path, int[] labelLimits, int labelIndex)
    {
        using var input = DataInput.Open(path);
        return Read(input, labelLimits, labelIndex);
    }

    /// <summary><see cref="ReadFile"/> over an open input.</summary>
    public static (byte[] Pixels, int[] Labels) Read(DataInput input, int[] labelLimits, int labelIndex)
    {
        var path = input.Name;
        var labelBytes = labelLimits.Length;
        var bytes = input.ReadToEnd("CIFAR records");
        var record = labelBytes + ImageBytes;
        if (bytes.Length == 0 || bytes.Length % record != 0)
            throw DataFormatException.AtByte(path, bytes.Length - bytes.Length % record,
                $"file length {bytes.Length} is not a positive multiple of the record size {record} " +
                $"({labelBytes} label byte(s) + {ImageBytes} pixel bytes); the last record is cut short");
        var n = bytes.Length / record;
        var pixels = GC.AllocateUninitializedArray<byte>(n * ImageBytes);
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            var at = (long)i * record;
            for (var b = 0; b < labelBytes; b++)
                if (bytes[at + b] >= labelLimits[b])
                    throw DataFormatException.AtByte(path, at + b, $"label {bytes[at + b]} of record {i}, expected 0..{labelLimits[b] - 1}");
            labels[i] = bytes[at + labelIndex];
            bytes.AsSpan((int)at + labelBytes, ImageBytes).CopyTo(pixels.AsSpan(i * ImageBytes, ImageBytes));
        }
        return (pixels, labels);
    }

    private static ImageDataset Merge(string name, List<(byte[] Pixels, int[] Labels)> parts, int classes, NormalizationStats stats)
    {
        if (parts.Count == 1) return new ImageDataset(name, parts[0].Pixels, parts[0].Labels, 3, 32, 32, classes, stats);
        var pixels = GC.AllocateUninitializedArray<byte>(parts.Sum(p => p.Pixels.Length));
        var labels = new int[parts.Sum(p => p.Labels.Length)];
        int po = 0, lo = 0;
        foreach (var (p, l) in parts)
        {
            p.CopyTo(pixels, po);
            l.CopyTo(labels, lo);
            po += p.Length;
            lo += l.Length;
        }
        return new ImageDataset(name, pixels, labels, 3, 32, 32, classes, stats);
    }

    private static string Require(string dir, string file, string dataset)
    {
        var path = Path.Combine(dir, file);
        return File.Exists(path) ? path : throw new DatasetNotFoundException(dataset, $"{file} is missing from {dir}");
    }
}
