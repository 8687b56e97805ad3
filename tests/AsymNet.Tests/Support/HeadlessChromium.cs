using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AsymNet.Tests.Support;

/// <summary>
/// Debian's Chromium, headless, driven through the DevTools protocol over a loopback WebSocket: opens a page, records
/// console errors, uncaught exceptions, log errors and every request that is not file: or data:, evaluates a script,
/// and takes a full-page screenshot. Started with the flags that keep it off the network and a fresh profile.
/// </summary>
public sealed partial class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly Dictionary<int, TaskCompletionSource<JsonObject>> _calls = [];
    private readonly Lock _gate = new();
    private readonly Task _reader;
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;
    private string? _session;

    public List<string> ConsoleErrors { get; } = [];
    public List<string> NetworkRequests { get; } = [];

    private HeadlessChromium(Process process, string profile, Uri endpoint)
    {
        _process = process;
        _profile = profile;
        _socket.ConnectAsync(endpoint, CancellationToken.None).GetAwaiter().GetResult();
        _reader = Task.Run(ReadLoop);
    }

    public static HeadlessChromium Start()
    {
        if (!File.Exists(Executable)) throw new FileNotFoundException($"{Executable} is missing: run scripts/setup.sh --test, which installs Debian's chromium.");
        var profile = Directory.CreateTempSubdirectory("asym-chromium-").FullName;
        var info = new ProcessStartInfo(Executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var flag in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", "--remote-debugging-port=0",
                     "--remote-debugging-address=127.0.0.1", "--window-size=1200,900", "about:blank",
                 })
            info.ArgumentList.Add(flag);
        var process = Process.Start(info)!;
        process.StandardOutput.ReadToEndAsync();
        var endpoint = Task.Run(() =>
        {
            while (process.StandardError.ReadLine() is { } line)
                if (DevToolsLine().Match(line) is { Success: true } m) return m.Groups[1].Value;
            return null;
        });
        if (!endpoint.Wait(TimeSpan.FromSeconds(60)) || endpoint.Result is null)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("Chromium did not print its DevTools endpoint within 60 s.");
        }
        // Keep draining stderr so that Chromium never blocks on a full pipe.
        Task.Run(() => process.StandardError.ReadToEnd());
        return new HeadlessChromium(process, profile, new Uri(endpoint.Result));
    }

    /// <summary>Opens <paramref name="url"/> in a new tab and waits for its load event.</summary>
    public async Task OpenAsync(string url)
    {
        var target = await CallAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, browser: true);
        var attached = await CallAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true }, browser: true);
        _session = attached["sessionId"]!.GetValue<string>();
        foreach (var domain in new[] { "Runtime.enable", "Log.enable", "Page.enable", "Network.enable" }) await CallAsync(domain, []);
        _loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await CallAsync("Page.navigate", new JsonObject { ["url"] = url });
        await _loaded.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Evaluates an expression in the page and returns its value (JSON-serialisable results only).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var r = await CallAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (r["exceptionDetails"] is { } e) throw new InvalidOperationException($"The page script threw: {e.ToJsonString()}");
        return r["result"]?["value"]?.DeepClone();
    }

    /// <summary>Lays the page out for "screen" or "print" (as printing does, without making a PDF).</summary>
    public Task EmulateMediaAsync(string media) => CallAsync("Emulation.setEmulatedMedia", new JsonObject { ["media"] = media });

    /// <summary>A PNG of the whole page, not only the window.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var r = await CallAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        return Convert.FromBase64String(r["data"]!.GetValue<string>());
    }

    private async Task<JsonObject> CallAsync(string method, JsonObject parameters, bool browser = false)
    {
        TaskCompletionSource<JsonObject> reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int id;
        lock (_gate)
        {
            id = ++_nextId;
            _calls[id] = reply;
        }
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (!browser && _session is not null) message["sessionId"] = _session;
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        var answer = await reply.Task.WaitAsync(TimeSpan.FromSeconds(60));
        if (answer["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        return answer["result"]?.AsObject() ?? [];
    }

    private async Task ReadLoop()
    {
        var buffer = new byte[1 << 16];
        var text = new MemoryStream();
        while (_socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult r;
            try
            {
                r = await _socket.ReceiveAsync(buffer, CancellationToken.None);
            }
            catch (WebSocketException)
            {
                break;
            }
            if (r.MessageType == WebSocketMessageType.Close) break;
            text.Write(buffer, 0, r.Count);
            if (!r.EndOfMessage) continue;
            var message = JsonNode.Parse(text.ToArray())!.AsObject();
            text.SetLength(0);
            Dispatch(message);
        }
    }

    private void Dispatch(JsonObject message)
    {
        if (message["id"] is { } id)
        {
            TaskCompletionSource<JsonObject>? reply;
            lock (_gate) _calls.Remove(id.GetValue<int>(), out reply);
            reply?.TrySetResult(message);
            return;
        }
        var p = message["params"];
        switch (message["method"]?.GetValue<string>())
        {
            case "Page.loadEventFired":
                _loaded.TrySetResult();
                break;
            case "Runtime.consoleAPICalled" when (p?["type"]?.GetValue<string>() is "error" or "assert"):
                lock (_gate) ConsoleErrors.Add($"console.{p!["type"]}: {p["args"]?.ToJsonString()}");
                break;
            case "Runtime.exceptionThrown":
                lock (_gate) ConsoleErrors.Add($"exception: {p?["exceptionDetails"]?.ToJsonString()}");
                break;
            case "Log.entryAdded" when (p?["entry"]?["level"]?.GetValue<string>() == "error"):
                lock (_gate) ConsoleErrors.Add($"log: {p!["entry"]!["text"]} ({p["entry"]!["url"]})");
                break;
            case "Network.requestWillBeSent":
                lock (_gate) NetworkRequests.Add(p?["request"]?["url"]?.GetValue<string>() ?? "?");
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            // The browser closes the socket instead of answering, so the reply is not awaited.
            var close = new JsonObject { ["id"] = Interlocked.Increment(ref _nextId), ["method"] = "Browser.close" };
            await _socket.SendAsync(Encoding.UTF8.GetBytes(close.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
        _socket.Dispose();
        await Task.WhenAny(_reader, Task.Delay(1000));
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium's helpers may still hold files for a moment; the folder is in /tmp.
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();
}
