using System.Net;
using System.Net.Http.Headers;

namespace AsymNet.Data;

/// <summary>
/// Downloads one URL into a ".part" file, resuming from whatever that file already holds with an HTTP Range
/// request (also across runs). Interrupted transfers (connection reset, early end, stalls longer than
/// <see cref="StallTimeout"/>) are retried with exponential back-off, up to <see cref="MaxAttempts"/> attempts in a
/// row without progress. A server that ignores Range (200 instead of 206) restarts the file from zero.
/// </summary>
public sealed class HttpDownloader(HttpClient client)
{
    /// <summary>Consecutive attempts without a single new byte before giving up.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Wait before the first retry; doubled for each further one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>An attempt that receives nothing for this long is abandoned (and retried).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Refuse bodies larger than this (a misbehaving server must not fill the disk).</summary>
    public long MaxBytes { get; init; } = 8L << 30;

    /// <summary>A client suitable for dataset downloads: no transparent decompression, no overall timeout (stalls are detected instead).</summary>
    public static HttpClient CreateClient()
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("AsymNet/0.1 (+dataset fetch)");
        return client;
    }

    /// <summary>Completes <paramref name="partPath"/>; <paramref name="onProgress"/> gets (bytes on disk, total if known).</summary>
    public async Task DownloadAsync(Uri url, string partPath, Action<long, long?>? onProgress, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(partPath))!);
        var failures = 0;
        var buffer = new byte[1 << 16];
        while (true)
        {
            var have = File.Exists(partPath) ? new FileInfo(partPath).Length : 0;
            var before = have;
            try
            {
                if (await AttemptAsync(url, partPath, have, buffer, onProgress, ct)) return;
                continue; // the part file was stale and has been reset; start over at once
            }
            catch (Exception e) when (IsTransient(e, ct))
            {
                var now = File.Exists(partPath) ? new FileInfo(partPath).Length : 0;
                failures = now > before ? 1 : failures + 1;
                if (failures >= MaxAttempts)
                    throw new DownloadException($"{url}: download failed {failures} times in a row ({e.Message}); " +
                        (now > 0 ? $"{now} bytes are kept in {partPath} and the next run resumes from there." : "nothing was received."), e);
                await Task.Delay(RetryDelay * Math.Pow(2, failures - 1), ct);
            }
        }
    }

    /// <summary>One request; true when the file is complete, false when it had to be reset.</summary>
    private async Task<bool> AttemptAsync(Uri url, string partPath, long have, byte[] buffer, Action<long, long?>? onProgress, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
        using var headerWait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        headerWait.CancelAfter(StallTimeout);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headerWait.Token);

        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
        {
            if (response.Content.Headers.ContentRange?.Length == have) return true;
            File.Delete(partPath);
            return false;
        }
        if ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        if (!response.IsSuccessStatusCode)
            throw new DownloadException($"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");

        var append = response.StatusCode == HttpStatusCode.PartialContent;
        long? total;
        if (append)
        {
            var range = response.Content.Headers.ContentRange;
            if (range?.From != have)
            {
                File.Delete(partPath);
                return false;
            }
            total = range.Length;
        }
        else
        {
            have = 0; // the server sent the whole file
            total = response.Content.Headers.ContentLength;
        }
        if (total > MaxBytes) throw new DownloadException($"{url}: {total} bytes is more than the limit of {MaxBytes}");

        await using var file = new FileStream(partPath, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        onProgress?.Invoke(have, total);
        while (true)
        {
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
            stall.CancelAfter(StallTimeout);
            var n = await body.ReadAsync(buffer, stall.Token);
            if (n == 0) break;
            await file.WriteAsync(buffer.AsMemory(0, n), ct);
            have += n;
            if (have > (total ?? MaxBytes))
                throw new DownloadException($"{url}: the server sent more than the {total ?? MaxBytes} bytes it announced");
            onProgress?.Invoke(have, total);
        }
        if (total is { } t && have < t) throw new IOException($"connection closed after {have} of {t} bytes");
        return true;
    }

    private static bool IsTransient(Exception e, CancellationToken ct) =>
        !ct.IsCancellationRequested && e is IOException or HttpRequestException or OperationCanceledException;
}
