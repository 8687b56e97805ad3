using AsymNet.Data;

namespace AsymNet.Tests.Data;

public sealed class CifarBinaryTests
{
    [Fact]
    public void ReadsCifar10BatchesAsChannelMajorImages()
    {
        using var tmp = new TempDir();
        var files = DataFixtures.Cifar10Files(perFile: 3);
        DataFixtures.WriteFiles(tmp.Path, files);
        var (train, test) = CifarBinary.LoadCifar10(tmp.Path);
        Assert.Equal(15, train.Count);
        Assert.Equal(3, test.Count);
        Assert.Equal((3, 32, 32, 10), (train.Channels, train.Height, train.Width, train.ClassCount));
        // Record 1 of data_batch_2 is train image 4: label byte then its red, green, blue planes.
        var raw = files["data_batch_2.bin"];
        Assert.Equal(raw[3073], train.Labels[4]);
        Assert.Equal(raw.AsSpan(3074, 3072).ToArray(), train.Image(4).ToArray());
    }

    [Theory]
    [InlineData(Cifar100Labels.Fine, 1, 100)]
    [InlineData(Cifar100Labels.Coarse, 0, 20)]
    public void ReadsCifar100FineOrCoarseLabels(Cifar100Labels which, int labelByte, int classes)
    {
        using var tmp = new TempDir();
        var files = DataFixtures.Cifar100Files(4, 2);
        DataFixtures.WriteFiles(tmp.Path, files);
        var (train, test) = CifarBinary.LoadCifar100(tmp.Path, which);
        Assert.Equal((4, 2, classes), (train.Count, test.Count, train.ClassCount));
        for (var i = 0; i < 4; i++) Assert.Equal(files["train.bin"][i * 3074 + labelByte], train.Labels[i]);
        Assert.Equal(files["train.bin"].AsSpan(3074 + 2, 3072).ToArray(), train.Image(1).ToArray());
    }

    [Fact]
    public void TruncatedRecordNamesTheOffset()
    {
        using var tmp = new TempDir();
        var bytes = DataFixtures.CifarRecords(2, [10], 1)[..(3073 + 100)];
        File.WriteAllBytes(tmp["b.bin"], bytes);
        var e = Assert.Throws<DataFormatException>(() => CifarBinary.ReadFile(tmp["b.bin"], [10], 0));
        Assert.Equal("byte 3073", e.Location);
        Assert.Contains("record size 3073", e.Message);
    }

    [Fact]
    public void OutOfRangeLabelsNameTheRecord()
    {
        using var tmp = new TempDir();
        var bytes = DataFixtures.CifarRecords(3, [20, 100], 1);
        bytes[2 * 3074] = 20; // coarse label of record 2
        File.WriteAllBytes(tmp["t.bin"], bytes);
        var e = Assert.Throws<DataFormatException>(() => CifarBinary.ReadFile(tmp["t.bin"], [20, 100], 1));
        Assert.Equal($"byte {2 * 3074}", e.Location);
        Assert.Contains("record 2, expected 0..19", e.Message);
    }

    [Fact]
    public void MissingBatchIsReportedAsNotFound()
    {
        using var tmp = new TempDir();
        var files = DataFixtures.Cifar10Files(1);
        files.Remove("data_batch_3.bin");
        DataFixtures.WriteFiles(tmp.Path, files);
        var e = Assert.Throws<DatasetNotFoundException>(() => CifarBinary.LoadCifar10(tmp.Path));
        Assert.Contains("data_batch_3.bin", e.Message);
    }
}
