using System.Security.Cryptography;
using AsymNet.Data;

namespace AsymNet.Tests.Data;

/// <summary>End-to-end fetches against a loopback HTTP server serving small archives in the official formats.</summary>
public sealed class FetcherTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly LoopbackHttpServer _server = new();

    private DataPaths Paths => new(_tmp["data"], _tmp["assets"]);

    private static Fetcher NewFetcher(int maxAttempts = 5) =>
        new(new HttpDownloader(HttpDownloader.CreateClient()) { RetryDelay = TimeSpan.FromMilliseconds(1), MaxAttempts = maxAttempts, StallTimeout = TimeSpan.FromSeconds(20) });

    /// <summary>The catalog's real source, pointed at the loopback server and at checksums of the served test files.</summary>
    private FetchSource Serve(DatasetEntry entry, Dictionary<string, byte[]> files, Func<string, string>? checksumOf = null)
    {
        foreach (var (name, bytes) in files) _server.Files[name] = bytes;
        var source = entry.Source!;
        return source with
        {
            BaseUrl = _server.BaseUrl,
            Files = source.Files.Select(f => f with
            {
                Checksum = f.Checksum with { Hex = checksumOf?.Invoke(f.FileName) ?? Hash(f.Checksum.Algorithm, files[f.FileName]) },
            }).ToList(),
        };
    }

    private static string Hash(string algorithm, byte[] data) =>
        Convert.ToHexStringLower(algorithm == "MD5" ? MD5.HashData(data) : SHA256.HashData(data));

    private void AssertNoLeftovers(string name)
    {
        Assert.False(Directory.Exists(Paths.DatasetDir(name)), "a dataset folder was published");
        Assert.DoesNotContain(Directory.GetDirectories(Paths.DataDir), d => Path.GetFileName(d).EndsWith(".partial"));
    }

    [Fact]
    public async Task Cifar10TarGzIsDownloadedVerifiedUnpackedAndLoadable()
    {
        var tar = DataFixtures.TarGz("cifar-10-batches-bin", DataFixtures.Cifar10Files(perFile: 2));
        var source = Serve(DatasetCatalog.Cifar10, new() { ["cifar-10-binary.tar.gz"] = tar });
        var reports = new List<FetchProgress>();
        var dir = await NewFetcher().FetchAsync("cifar10", source, Paths, force: false, new SyncProgress(reports.Add));
        Assert.Equal(Paths.DatasetDir("cifar10"), dir);
        Assert.Equal(Paths.DatasetDir("cifar10"), DatasetCatalog.Cifar10.Locate(Paths));
        var (train, test) = Datasets.LoadImages("cifar10", Paths);
        Assert.Equal((10, 2), (train.Count, test.Count));
        var downloads = reports.Where(r => r.Stage == FetchStage.Downloading).ToList();
        Assert.Equal(tar.Length, downloads[^1].Done);
        Assert.Equal(tar.Length, downloads[^1].Total);
        Assert.True(downloads.Zip(downloads.Skip(1)).All(p => p.First.Done <= p.Second.Done));
        Assert.Equal(FetchStage.Done, reports[^1].Stage);
        Assert.False(Directory.Exists(Path.Combine(Paths.DownloadDir, "cifar10")), "the archive was not removed");
        AssertNoLeftoversExceptTarget();
    }

    private void AssertNoLeftoversExceptTarget() =>
        Assert.DoesNotContain(Directory.GetDirectories(Paths.DataDir), d => Path.GetFileName(d).StartsWith('.'));

    [Fact]
    public async Task Cifar100AndMnistAndOgbArxivFetchInTheirOfficialPackaging()
    {
        var fetcher = NewFetcher();
        var cifar100 = Serve(DatasetCatalog.Cifar100, new() { ["cifar-100-binary.tar.gz"] = DataFixtures.TarGz("cifar-100-binary", DataFixtures.Cifar100Files(3, 2)) });
        await fetcher.FetchAsync("cifar100", cifar100, Paths, false);
        Assert.Equal(100, Datasets.LoadImages("cifar100", Paths).Train.ClassCount);

        using (var mnistDir = new TempDir())
        {
            DataFixtures.WriteMnistFolder(mnistDir.Path, 6, 4, gzip: true);
            var files = Directory.GetFiles(mnistDir.Path).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
            await fetcher.FetchAsync("mnist", Serve(DatasetCatalog.Mnist, files), Paths, false);
        }
        Assert.Equal(6, Datasets.LoadImages("mnist", Paths).Train.Count);

        var zip = DataFixtures.Zip("arxiv", DataFixtures.OgbFiles(nodes: 30, features: 128, classes: 40, edges: 60));
        var arxiv = Serve(DatasetCatalog.OgbnArxiv, new() { ["arxiv.zip"] = zip }) with
        {
            Validate = dir => OgbNodeDataset.Load(dir, OgbNodeDataset.ArxivShape with { Nodes = 30, DirectedEdges = 60 }),
        };
        var dir = await fetcher.FetchAsync("ogbn-arxiv", arxiv, Paths, false);
        Assert.Equal(30, OgbNodeDataset.Load(dir, new OgbShape(30, 128, 40, 60)).NodeCount);
        Assert.Equal(DatasetState.Present, DatasetCatalog.OgbnArxiv.Probe(Paths).State);
    }

    [Fact]
    public async Task ChecksumMismatchPublishesNothingAndDeletesTheDownload()
    {
        var tar = DataFixtures.TarGz("cifar-10-batches-bin", DataFixtures.Cifar10Files(1));
        var source = Serve(DatasetCatalog.Cifar10, new() { ["cifar-10-binary.tar.gz"] = tar }, _ => new string('0', 32));
        var e = await Assert.ThrowsAsync<ChecksumMismatchException>(() => NewFetcher().FetchAsync("cifar10", source, Paths, false));
        Assert.Contains("cifar-10-binary.tar.gz", e.Message);
        Assert.Contains("expected md5 " + new string('0', 32), e.Message);
        Assert.Contains(Hash("MD5", tar), e.Message);
        AssertNoLeftovers("cifar10");
        Assert.Empty(Directory.GetFiles(Paths.DownloadDir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task InterruptedDownloadResumesWithARangeRequest()
    {
        var tar = DataFixtures.TarGz("cifar-10-batches-bin", DataFixtures.Cifar10Files(3));
        var source = Serve(DatasetCatalog.Cifar10, new() { ["cifar-10-binary.tar.gz"] = tar });
        _server.CutResponses = 1;
        _server.CutAfterBytes = tar.Length / 3;
        await NewFetcher().FetchAsync("cifar10", source, Paths, false);
        Assert.Equal([(string?)null, $"bytes={tar.Length / 3}-"], _server.Requests.Select(r => r.Range));
        Assert.Equal(15, Datasets.LoadImages("cifar10", Paths).Train.Count);
    }

    [Fact]
    public async Task PartialDownloadKeptByAFailedRunIsResumedByTheNextRun()
    {
        var tar = DataFixtures.TarGz("cifar-100-binary", DataFixtures.Cifar100Files(5, 5));
        var source = Serve(DatasetCatalog.Cifar100, new() { ["cifar-100-binary.tar.gz"] = tar });
        _server.CutResponses = 1;
        _server.CutAfterBytes = 1000;
        var e = await Assert.ThrowsAsync<DownloadException>(() => NewFetcher(maxAttempts: 1).FetchAsync("cifar100", source, Paths, false));
        Assert.Contains("next run resumes", e.Message);
        var part = Path.Combine(Paths.DownloadDir, "cifar100", "cifar-100-binary.tar.gz.part");
        Assert.Equal(1000, new FileInfo(part).Length);
        AssertNoLeftovers("cifar100");

        await NewFetcher().FetchAsync("cifar100", source, Paths, false);
        Assert.Equal("bytes=1000-", _server.Requests[^1].Range);
        Assert.Equal(5, Datasets.LoadImages("cifar100", Paths).Test.Count);
    }

    [Fact]
    public async Task ServerIgnoringRangeRestartsTheFile()
    {
        var tar = DataFixtures.TarGz("cifar-10-batches-bin", DataFixtures.Cifar10Files(1));
        var source = Serve(DatasetCatalog.Cifar10, new() { ["cifar-10-binary.tar.gz"] = tar });
        var part = Path.Combine(Paths.DownloadDir, "cifar10", "cifar-10-binary.tar.gz.part");
        Directory.CreateDirectory(Path.GetDirectoryName(part)!);
        File.WriteAllBytes(part, new byte[77]); // stale junk
        _server.IgnoreRange = true;
        await NewFetcher().FetchAsync("cifar10", source, Paths, false);
        Assert.Equal("bytes=77-", _server.Requests[0].Range);
        Assert.Equal(5, Datasets.LoadImages("cifar10", Paths).Train.Count);
    }

    [Fact]
    public async Task CompletePartialFileIsAcceptedOn416()
    {
        var tar = DataFixtures.TarGz("cifar-10-batches-bin", DataFixtures.Cifar10Files(1));
        var source = Serve(DatasetCatalog.Cifar10, new() { ["cifar-10-binary.tar.gz"] = tar });
        var part = Path.Combine(Paths.DownloadDir, "cifar10", "cifar-10-binary.tar.gz.part");
        Directory.CreateDirectory(Path.GetDirectoryName(part)!);
        File.WriteAllBytes(part, tar);
        await NewFetcher().FetchAsync("cifar10", source, Paths, false);
        Assert.Single(_server.Requests);
        Assert.True(Directory.Exists(Paths.DatasetDir("cifar10")));
    }

    [Theory]
    [InlineData("tar")]
    [InlineData("zip")]
    public async Task TruncatedArchiveIsAFormatErrorAndPublishesNothing(string kind)
    {
        var (entry, name, file, whole) = kind == "tar"
            ? (DatasetCatalog.Cifar10, "cifar10", "cifar-10-binary.tar.gz", DataFixtures.TarGz("cifar-10-batches-bin", DataFixtures.Cifar10Files(4)))
            : (DatasetCatalog.OgbnArxiv, "ogbn-arxiv", "arxiv.zip", DataFixtures.Zip("arxiv", DataFixtures.OgbFiles(40, 128, 40, 80)));
        var truncated = whole[..(whole.Length / 2)];
        // The published checksum matches the truncated bytes, so only unpacking can notice.
        var source = Serve(entry, new() { [file] = truncated });
        var e = await Assert.ThrowsAsync<DataFormatException>(() => NewFetcher().FetchAsync(name, source, Paths, false));
        output.WriteLine(e.Message);
        Assert.EndsWith(file, e.File);
        Assert.Contains("entry", e.Location + e.Message);
        AssertNoLeftovers(name);
        Assert.False(Directory.Exists(Path.Combine(Paths.DownloadDir, name)), "the unusable archive was kept");
    }

    [Fact]
    public async Task ArchiveWithWrongContentFailsValidation()
    {
        var files = DataFixtures.Cifar10Files(2);
        files["test_batch.bin"] = files["test_batch.bin"][..100];
        var source = Serve(DatasetCatalog.Cifar10, new() { ["cifar-10-binary.tar.gz"] = DataFixtures.TarGz("cifar-10-batches-bin", files) });
        var e = await Assert.ThrowsAsync<DataFormatException>(() => NewFetcher().FetchAsync("cifar10", source, Paths, false));
        Assert.EndsWith("test_batch.bin", e.File);
        AssertNoLeftovers("cifar10");
    }

    [Fact]
    public async Task ArchiveMissingAFileIsAFormatError()
    {
        var files = DataFixtures.Cifar10Files(1);
        files.Remove("data_batch_5.bin");
        var source = Serve(DatasetCatalog.Cifar10, new() { ["cifar-10-binary.tar.gz"] = DataFixtures.TarGz("cifar-10-batches-bin", files) });
        var e = await Assert.ThrowsAsync<DataFormatException>(() => NewFetcher().FetchAsync("cifar10", source, Paths, false));
        Assert.Contains("data_batch_5.bin is missing", e.Message);
        AssertNoLeftovers("cifar10");
    }

    [Fact]
    public async Task HostileArchiveEntriesAreRefused()
    {
        var tar = DataFixtures.TarGz("..", new Dictionary<string, byte[]> { ["evil.bin"] = [1, 2, 3] });
        var source = Serve(DatasetCatalog.Cifar10, new() { ["cifar-10-binary.tar.gz"] = tar });
        var e = await Assert.ThrowsAsync<DataFormatException>(() => NewFetcher().FetchAsync("cifar10", source, Paths, false));
        Assert.Contains("unsafe entry name", e.Message);
        Assert.False(File.Exists(Path.Combine(Paths.DataDir, "evil.bin")));
        AssertNoLeftovers("cifar10");
    }

    [Fact]
    public async Task HttpErrorsAreReportedAndExistingDatasetsKeptUnlessForced()
    {
        var source = DatasetCatalog.Cifar10.Source! with { BaseUrl = _server.BaseUrl };
        var e = await Assert.ThrowsAsync<DownloadException>(() => NewFetcher().FetchAsync("cifar10", source, Paths, false));
        Assert.Contains("HTTP 404", e.Message);

        var good = Serve(DatasetCatalog.Cifar10, new() { ["cifar-10-binary.tar.gz"] = DataFixtures.TarGz("cifar-10-batches-bin", DataFixtures.Cifar10Files(1)) });
        await NewFetcher().FetchAsync("cifar10", good, Paths, false);
        var requests = _server.Requests.Count;
        await NewFetcher().FetchAsync("cifar10", good, Paths, false);
        Assert.Equal(requests, _server.Requests.Count); // already present: nothing downloaded

        _server.Files["cifar-10-binary.tar.gz"] = DataFixtures.TarGz("cifar-10-batches-bin", DataFixtures.Cifar10Files(2));
        var bigger = Serve(DatasetCatalog.Cifar10, new() { ["cifar-10-binary.tar.gz"] = _server.Files["cifar-10-binary.tar.gz"] });
        await NewFetcher().FetchAsync("cifar10", bigger, Paths, force: true);
        Assert.Equal(10, Datasets.LoadImages("cifar10", Paths).Train.Count);
        AssertNoLeftoversExceptTarget();
    }

    public void Dispose()
    {
        _server.Dispose();
        _tmp.Dispose();
    }

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(Action<FetchProgress> report) : IProgress<FetchProgress>
    {
        public void Report(FetchProgress value) => report(value);
    }
}
