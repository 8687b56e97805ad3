namespace AsymNet.Data;

/// <summary>
/// Fetches a dataset: downloads each file of its <see cref="FetchSource"/> (resuming partial downloads kept under
/// the data directory's downloads/ folder), verifies the published checksums, unpacks into a staging folder next to
/// the target, validates the result with the dataset's own reader, and only then renames it into place. A failure
/// at any step leaves no dataset folder behind.
/// </summary>
public sealed class Fetcher(HttpDownloader downloader)
{
    public static Fetcher CreateDefault() => new(new HttpDownloader(HttpDownloader.CreateClient()));

    /// <summary>Fetches into <c>paths.DatasetDir(name)</c> and returns that folder. With <paramref name="force"/> an existing copy is replaced.</summary>
    public async Task<string> FetchAsync(string name, FetchSource source, DataPaths paths, bool force,
        IProgress<FetchProgress>? progress = null, CancellationToken ct = default)
    {
        var target = paths.DatasetDir(name);
        if (Directory.Exists(target) && !force) return target;
        var downloads = Path.Combine(paths.DownloadDir, name);
        var files = new List<string>();
        foreach (var remote in source.Files)
            files.Add(await DownloadVerifiedAsync(name, source, remote, downloads, progress, ct));

        var staging = AtomicFile.CreateStagingDirectory(target);
        try
        {
            foreach (var file in files)
            {
                var fileName = Path.GetFileName(file);
                ArchiveExtractor.Extract(source.Archive, file, staging, source.MaxUnpackedBytes,
                    done => progress?.Report(new FetchProgress(name, FetchStage.Unpacking, fileName, done, null)));
            }
            var root = SingleTopFolder(staging);
            progress?.Report(new FetchProgress(name, FetchStage.Validating, name, 0, null));
            try
            {
                source.Validate(root);
            }
            catch (DatasetNotFoundException e)
            {
                throw DataFormatException.Whole(files[^1], $"the unpacked download is incomplete: {e.Message}", e);
            }
            AtomicFile.PublishDirectory(root, target, replace: force);
        }
        catch (DataFormatException)
        {
            // The archive matched its checksum yet is unusable: drop it so the next run downloads afresh.
            Directory.Delete(downloads, recursive: true);
            throw;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        Directory.Delete(downloads, recursive: true);
        progress?.Report(new FetchProgress(name, FetchStage.Done, name, 0, null));
        return target;
    }

    /// <summary>The verified local copy of one remote file; a resumed download that fails its checksum is retried once from zero.</summary>
    private async Task<string> DownloadVerifiedAsync(string name, FetchSource source, RemoteFile remote, string downloads,
        IProgress<FetchProgress>? progress, CancellationToken ct)
    {
        var done = Path.Combine(downloads, remote.FileName);
        if (File.Exists(done) && Digest(name, remote, done, progress) == remote.Checksum.Hex) return done;
        var part = done + ".part";
        var resumed = File.Exists(part);
        for (var attempt = 0; ; attempt++)
        {
            await downloader.DownloadAsync(source.UrlOf(remote), part,
                (bytes, total) => progress?.Report(new FetchProgress(name, FetchStage.Downloading, remote.FileName, bytes, total)), ct);
            var actual = Digest(name, remote, part, progress);
            if (actual == remote.Checksum.Hex)
            {
                File.Move(part, done, overwrite: true);
                return done;
            }
            File.Delete(part);
            if (!resumed || attempt > 0) throw new ChecksumMismatchException(remote.FileName, remote.Checksum, actual);
        }
    }

    private static string Digest(string name, RemoteFile remote, string path, IProgress<FetchProgress>? progress)
    {
        progress?.Report(new FetchProgress(name, FetchStage.Verifying, remote.FileName, 0, null));
        return remote.Checksum.Compute(path);
    }

    /// <summary>Archives usually wrap everything in one folder (cifar-10-batches-bin/, arxiv/): that folder is the dataset.</summary>
    private static string SingleTopFolder(string staging)
    {
        var dirs = Directory.GetDirectories(staging);
        return dirs.Length == 1 && Directory.GetFiles(staging).Length == 0 ? dirs[0] : staging;
    }
}
