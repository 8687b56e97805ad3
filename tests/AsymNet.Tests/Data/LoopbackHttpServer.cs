using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AsymNet.Tests.Data;

/// <summary>
/// A minimal HTTP/1.1 file server on 127.0.0.1 for download tests: GET with optional "Range: bytes=N-", one
/// request per connection. It can cut a response short (announcing the full length, then closing the socket)
/// and can ignore Range headers.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _gate = new();

    public LoopbackHttpServer()
    {
        _listener.Start();
        BaseUrl = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/data";
        _loop = Task.Run(AcceptLoop);
    }

    public string BaseUrl { get; }

    /// <summary>Files by name (served as BaseUrl/name).</summary>
    public Dictionary<string, byte[]> Files { get; } = new();

    /// <summary>The first CutResponses responses send only CutAfterBytes body bytes, then close the connection.</summary>
    public int CutResponses { get; set; }

    public int CutAfterBytes { get; set; }

    public bool IgnoreRange { get; set; }

    /// <summary>Every request: (file name, Range header or null).</summary>
    public List<(string File, string? Range)> Requests { get; } = new();

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var head = await ReadHead(stream);
        if (head is null) return;
        var lines = head.Split("\r\n");
        var path = lines[0].Split(' ')[1];
        var name = path[(path.LastIndexOf('/') + 1)..];
        var range = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase))?[6..].Trim();
        bool cut;
        lock (_gate)
        {
            Requests.Add((name, range));
            cut = CutResponses > 0;
            if (cut) CutResponses--;
        }
        if (!Files.TryGetValue(name, out var body))
        {
            await Write(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", []);
            return;
        }
        var start = 0;
        string status;
        var extra = "";
        if (range is not null && !IgnoreRange)
        {
            start = int.Parse(range["bytes=".Length..].TrimEnd('-'));
            if (start >= body.Length)
            {
                await Write(stream, $"HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{body.Length}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", []);
                return;
            }
            status = "206 Partial Content";
            extra = $"Content-Range: bytes {start}-{body.Length - 1}/{body.Length}\r\n";
        }
        else status = "200 OK";
        var payload = body.AsSpan(start).ToArray();
        var send = cut ? payload[..Math.Min(CutAfterBytes, payload.Length)] : payload;
        await Write(stream, $"HTTP/1.1 {status}\r\n{extra}Content-Length: {payload.Length}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n", send);
        if (cut) client.Client.Shutdown(SocketShutdown.Both);
    }

    private static async Task Write(NetworkStream s, string header, byte[] body)
    {
        await s.WriteAsync(Encoding.ASCII.GetBytes(header));
        await s.WriteAsync(body);
        await s.FlushAsync();
    }

    private static async Task<string?> ReadHead(NetworkStream s)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 16384)
        {
            if (await s.ReadAsync(one) == 0) return null;
            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n')
                return Encoding.ASCII.GetString(buffer.ToArray());
        }
        return null;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
