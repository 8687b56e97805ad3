namespace AsymNet.Cli.Commands;

/// <summary>
/// Turns Ctrl+C into a cancellation token for the lifetime of the object, so long commands stop cleanly (partial
/// downloads kept, run folders marked) instead of the process being killed.
/// </summary>
public sealed class CtrlC : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly ConsoleCancelEventHandler _handler;

    public CtrlC()
    {
        _handler = (_, e) =>
        {
            e.Cancel = true;
            _source.Cancel();
        };
        Console.CancelKeyPress += _handler;
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= _handler;
        _source.Dispose();
    }
}
