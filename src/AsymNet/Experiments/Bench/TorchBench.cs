using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using AsymNet.Tensors.Gemm;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// The PyTorch peer: one long-lived python process running bench/torch_bench.py (embedded in this assembly and
/// written to a temporary file), so torch's import cost is paid once. Requests and replies are JSON lines on its
/// stdin/stdout. Its OPENBLAS_CORETYPE is the one AsymNet's OpenBLAS runs (<see cref="OpenBlasCoreType"/>), so both
/// sides use the same GEMM kernels.
/// </summary>
public sealed class TorchBench : IDisposable
{
    public const string DefaultPython = "/usr/bin/python3";

    private readonly Process _process;
    private readonly string _script;
    private readonly StringBuilder _stderr;

    private TorchBench(Process process, string script, StringBuilder stderr, JsonObject info)
    {
        _process = process;
        _script = script;
        _stderr = stderr;
        Info = info;
    }

    /// <summary>The worker's "info" reply: torch version, default threads, OpenBLAS core name and threads.</summary>
    public JsonObject Info { get; }

    /// <summary>Starts the worker and asks for its info.</summary>
    /// <exception cref="InvalidOperationException">Python cannot start or cannot import torch; the message says which.</exception>
    public static TorchBench Start(string python)
    {
        var script = Path.Combine(Path.GetTempPath(), $"asym-torch-bench-{Environment.ProcessId}.py");
        using (var resource = typeof(TorchBench).Assembly.GetManifestResourceStream("torch_bench.py")
                              ?? throw new InvalidOperationException("torch_bench.py is not embedded in AsymNet."))
        using (var file = File.Create(script))
            resource.CopyTo(file);
        var psi = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-u");
        psi.ArgumentList.Add(script);
        // The peer's OpenBLAS (torch's BLAS here) gets the core type AsymNet's own runs.
        if (OpenBlasCoreType.Decide().Applied is { } coreType) psi.Environment[OpenBlasCoreType.Variable] = coreType;
        else psi.Environment.Remove(OpenBlasCoreType.Variable);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {python}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            File.Delete(script);
            throw new InvalidOperationException($"PyTorch peer: cannot run {python} ({e.Message}); pass --python or --no-torch.", e);
        }
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        try
        {
            return new TorchBench(process, script, stderr, Exchange(process, stderr, new JsonObject { ["op"] = "info" }));
        }
        catch
        {
            Kill(process);
            File.Delete(script);
            throw;
        }
    }

    /// <summary>Sends one request and returns the reply.</summary>
    /// <exception cref="InvalidOperationException">The worker died or answered with an error.</exception>
    public JsonObject Request(JsonObject request) => Exchange(_process, _stderr, request);

    private static JsonObject Exchange(Process process, StringBuilder stderr, JsonObject request)
    {
        string? line;
        try
        {
            process.StandardInput.WriteLine(request.ToJsonString());
            process.StandardInput.Flush();
            line = process.StandardOutput.ReadLine();
        }
        catch (IOException)
        {
            line = null;
        }
        if (line is null)
        {
            process.WaitForExit(2000);
            string err;
            lock (stderr) err = stderr.ToString().Trim();
            throw new InvalidOperationException($"PyTorch peer exited{(process.HasExited ? $" with code {process.ExitCode}" : "")}" +
                                                $"{(err.Length > 0 ? ": " + LastLines(err, 6) : "")}");
        }
        var reply = JsonNode.Parse(line) as JsonObject ?? throw new InvalidOperationException($"PyTorch peer answered '{line}'.");
        if (reply["ok"]?.GetValue<bool>() != true)
            throw new InvalidOperationException($"PyTorch peer failed on {request["op"]}: {reply["error"]}");
        return reply;
    }

    private static string LastLines(string text, int count) => string.Join(" | ", text.Split('\n').TakeLast(count).Select(l => l.Trim()));

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.WriteLine("{\"op\": \"quit\"}");
                _process.StandardInput.Flush();
                if (!_process.WaitForExit(3000)) Kill(_process);
            }
        }
        catch (IOException)
        {
            Kill(_process);
        }
        _process.Dispose();
        File.Delete(_script);
    }
}
