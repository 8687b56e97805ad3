using AsymNet.Cli;
using AsymNet.Data;
using AsymNet.Tests.Data;

namespace AsymNet.Tests.Cli;

/// <summary>`asym data list` / `asym data fetch` through the real command line.</summary>
public sealed class DataCliTests
{
    [Fact]
    public void ListShowsTheCatalogForAnyDataDirectory()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Program.Main(["data", "list", "--data-dir", tmp.Path]));
        var statuses = DatasetCatalog.All.Select(e => e.Probe(DataPaths.Resolve(tmp.Path))).ToList();
        Assert.Equal(DatasetState.Missing, statuses[DatasetCatalog.All.ToList().IndexOf(DatasetCatalog.Cifar10)].State);
    }

    [Fact]
    public void FetchFromAMirrorWithWrongBytesFailsTheOfficialChecksum()
    {
        using var tmp = new TempDir();
        using var server = new LoopbackHttpServer();
        server.Files["cifar-10-binary.tar.gz"] = DataFixtures.TarGz("cifar-10-batches-bin", DataFixtures.Cifar10Files(1));
        Assert.Equal(1, Program.Main(["data", "fetch", "cifar10", "--data-dir", tmp.Path, "--mirror", server.BaseUrl]));
        Assert.Single(server.Requests);
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "cifar10")));
    }

    [Fact]
    public void FetchOfAPresentDatasetDownloadsNothing()
    {
        using var tmp = new TempDir();
        using var server = new LoopbackHttpServer();
        DataFixtures.WriteFiles(Path.Combine(tmp.Path, "cifar100"), DataFixtures.Cifar100Files(1, 1));
        Assert.Equal(0, Program.Main(["data", "fetch", "cifar100", "--data-dir", tmp.Path, "--mirror", server.BaseUrl]));
        Assert.Empty(server.Requests);
        Assert.NotEqual(0, Program.Main(["data", "fetch", "no-such-dataset", "--data-dir", tmp.Path]));
    }
}
