using System.CommandLine;
using AsymNet.Data;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>`asym data fetch NAME`: download, verify and unpack a dataset with a progress bar.</summary>
public static class DataFetchCommand
{
    public static Command Create()
    {
        var fetchable = DatasetCatalog.All.Where(e => e.Source is not null).Select(e => e.Name).ToArray();
        var name = new Argument<string>("name") { Description = $"Dataset to fetch: {string.Join(", ", fetchable)}." };
        name.AcceptOnlyFromAmong(fetchable);
        var dataDir = DataDirOption.Create();
        var force = new Option<bool>("--force") { Description = "Download again and replace an existing copy." };
        var mirror = new Option<string?>("--mirror") { Description = "Base URL (http or https) to download the same files from instead of the official location (checksums are still verified)." };
        mirror.Validators.Add(r =>
        {
            var url = r.GetValueOrDefault<string?>();
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                r.AddError($"--mirror must be an http:// or https:// URL, not '{url}'.");
        });
        var cmd = new Command("fetch", "Download a dataset from its official location, verify its checksum and unpack it into the data directory.")
        {
            name, dataDir, force, mirror,
        };
        cmd.SetAction(result => Run(DatasetCatalog.Get(result.GetValue(name)!), DataDirOption.Resolve(result, dataDir),
            result.GetValue(force), result.GetValue(mirror)));
        return cmd;
    }

    private static int Run(DatasetEntry entry, DataPaths paths, bool force, string? mirror)
    {
        var source = mirror is null ? entry.Source! : entry.Source! with { BaseUrl = mirror };
        try
        {
            OutputPaths.CheckFolder(paths.DataDir, "--data-dir", allowNonEmpty: true);
        }
        catch (UsageException e)
        {
            Terminal.Error("data fetch", e.Message);
            return ExitCodes.Usage;
        }
        var existing = entry.Locate(paths);
        if (existing is not null && !force)
        {
            AnsiConsole.MarkupLine($"[green]{entry.Name}[/] is already present in {Markup.Escape(existing)} (use --force to fetch it again).");
            return 0;
        }
        using var cancel = new CtrlC();
        try
        {
            var origin = mirror is null ? source.Origin : "a mirror; the official checksums are verified";
            AnsiConsole.MarkupLine($"Fetching [bold]{entry.Name}[/] from {Markup.Escape(source.BaseUrl)} ({Markup.Escape(origin)}).");
            // No live bars in a log: the lines above and below say what happened.
            var dir = !Terminal.Interactive
                ? Fetcher.CreateDefault().FetchAsync(entry.Name, source, paths, force: true, null, cancel.Token).GetAwaiter().GetResult()
                : AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(),
                    new TransferSpeedColumn(), new RemainingTimeColumn())
                // Replace whatever incomplete folder may be in the way: the catalog found no usable copy there.
                .Start(ctx => Fetcher.CreateDefault()
                    .FetchAsync(entry.Name, source, paths, force: true, new SpectreFetchProgress(ctx), cancel.Token).GetAwaiter().GetResult());
            AnsiConsole.MarkupLine($"[green]{entry.Name}[/] is ready in {Markup.Escape(dir)}.");
            return 0;
        }
        catch (OperationCanceledException)
        {
            Terminal.Error("data fetch", "interrupted. The partial download is kept; run the same command again to resume.");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is DownloadException or DataFormatException or IOException or HttpRequestException)
        {
            Terminal.Error("data fetch", $"fetching {entry.Name} failed: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Maps fetch reports onto Spectre.Console progress tasks, one per file.</summary>
    private sealed class SpectreFetchProgress(ProgressContext ctx) : IProgress<FetchProgress>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = new();

        public void Report(FetchProgress p)
        {
            lock (_tasks)
            {
                if (!_tasks.TryGetValue(p.File, out var task))
                    _tasks[p.File] = task = ctx.AddTask(Markup.Escape(p.File), autoStart: true, maxValue: Math.Max(1, p.Total ?? 1));
                switch (p.Stage)
                {
                    case FetchStage.Downloading:
                        task.IsIndeterminate = p.Total is null;
                        if (p.Total is { } total) task.MaxValue = Math.Max(1, total);
                        task.Value = p.Done;
                        break;
                    case FetchStage.Done:
                        foreach (var t in _tasks.Values) t.StopTask();
                        break;
                    default:
                        task.Description = $"{Markup.Escape(p.File)} [dim]({p.Stage.ToString().ToLowerInvariant()})[/]";
                        task.IsIndeterminate = p.Stage is FetchStage.Unpacking or FetchStage.Validating;
                        break;
                }
            }
        }
    }
}
