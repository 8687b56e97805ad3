using System.CommandLine;
using AsymNet.Data;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>`asym data list`: every dataset, whether it is present, where, its size and how to get it.</summary>
public static class DataListCommand
{
    public static Command Create()
    {
        var dataDir = DataDirOption.Create();
        var cmd = new Command("list", "Show the dataset catalog: presence (damaged when a file is truncated or altered), location, size and how to get each dataset.") { dataDir };
        cmd.SetAction(result =>
        {
            var paths = DataDirOption.Resolve(result, dataDir);
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("Dataset").AddColumn("Status").AddColumn(new TableColumn("Size").RightAligned()).AddColumn("Location").AddColumn("How to get it");
            var problems = new List<string>();
            foreach (var entry in DatasetCatalog.All)
            {
                var status = entry.Probe(paths);
                if (status.Problem is { } problem) problems.Add($"{entry.Name} is damaged: {problem}. Fetch it again: asym data fetch {entry.Name} --force.");
                var state = status.State switch
                {
                    DatasetState.Present => "[green]present[/]",
                    DatasetState.BuiltOnFirstUse => "[yellow]built on first use[/]",
                    DatasetState.Damaged => "[red]damaged[/]",
                    _ => "[red]missing[/]",
                };
                table.AddRow(
                    new Markup($"[bold]{Markup.Escape(entry.Name)}[/]"),
                    new Markup(state),
                    new Text(status.State is DatasetState.Present or DatasetState.Damaged ? FormatBytes(status.Bytes) : "-"),
                    new Text(status.Location ?? "-"),
                    new Text(entry.HowToGet));
            }
            AnsiConsole.Write(table);
            foreach (var problem in problems) AnsiConsole.MarkupLine($"[red]{Markup.Escape(problem)}[/]");
            foreach (var entry in DatasetCatalog.All)
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(entry.Name)}[/]: {Markup.Escape(entry.Description)}");
            AnsiConsole.MarkupLine($"Data directory: [blue]{Markup.Escape(paths.DataDir)}[/] (--data-dir or ${DataPaths.DataDirVariable}); " +
                                   $"assets: [blue]{Markup.Escape(paths.AssetsDir)}[/] (${DataPaths.AssetsDirVariable}).");
            return 0;
        });
        return cmd;
    }

    public static string FormatBytes(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double v = bytes;
        var u = 0;
        while (v >= 1000 && u < units.Length - 1)
        {
            v /= 1000;
            u++;
        }
        return u == 0 ? $"{bytes} B" : $"{v:0.#} {units[u]}";
    }
}
