using System.CommandLine;
using AsymNet.Data;
using AsymNet.Experiments.Bench;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>`asym bench`: AsymNet and PyTorch side by side in one invocation; medians and AsymNet/PyTorch ratios.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var reps = new Option<int>("--reps") { Description = "Repetitions of each side of each workload (medians are reported).", DefaultValueFactory = _ => 3 }.AtLeast(1);
        var json = new Option<bool>("--json") { Description = "Print the report (environment, medians, every observation) as JSON." };
        var csv = new Option<string?>("--csv") { Description = "Also write every observation to this CSV file." };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the summary table to this Markdown file." };
        var only = new Option<string?>("--only") { Description = "Comma-separated workloads: " + string.Join(", ", BenchWorkloads.All().Select(w => w.Name)) + "." };
        var noTorch = new Option<bool>("--no-torch") { Description = "Measure AsymNet only." };
        var python = new Option<string>("--python") { Description = "Python with PyTorch for the peer side.", DefaultValueFactory = _ => TorchBench.DefaultPython };
        var minSeconds = new Option<double>("--min-seconds") { Description = "Minimum duration of one timed kernel repetition.", DefaultValueFactory = _ => 0.5 }.Finite(0, aboveMin: true);
        var dataDir = DataDirOption.Create();
        var cmd = new Command("bench", "Benchmark AsymNet against PyTorch (GEMM, ResNet convolutions, MLP-4, ResNet, GNN training, weight matching); prints medians and ratios.");
        foreach (var o in new Option[] { reps, json, csv, markdown, only, noTorch, python, minSeconds, dataDir }) cmd.Options.Add(o);
        cmd.SetAction(parse => CommandErrors.Guard("bench", json: false, () =>
        {
            var workloads = BenchWorkloads.Select(parse.GetValue(only));
            if (parse.GetValue(csv) is { } csvPath) OutputPaths.CheckFile(csvPath, "--csv");
            if (parse.GetValue(markdown) is { } mdPath) OutputPaths.CheckFile(mdPath, "--markdown");
            var paths = DataDirOption.Resolve(parse, dataDir);
            var options = new BenchOptions(parse.GetValue(reps), parse.GetValue(minSeconds), DatasetCatalog.FashionMnist.Locate(paths), Data: paths);
            TorchBench? torch = null;
            string? torchUnavailable = parse.GetValue(noTorch) ? "skipped (--no-torch)" : null;
            if (torchUnavailable is null)
            {
                try
                {
                    torch = TorchBench.Start(parse.GetValue(python)!);
                }
                catch (InvalidOperationException e)
                {
                    torchUnavailable = e.Message;
                    Terminal.Warning("bench", $"no PyTorch comparison: {e.Message}");
                }
            }
            BenchReport report;
            using (torch)
                report = BenchRunner.Run(workloads, options, torch, torchUnavailable, new Progress<string>(line => Console.Error.WriteLine(line)));
            if (parse.GetValue(csv) is { } path) File.WriteAllText(path, report.ToCsv());
            if (parse.GetValue(markdown) is { } md) File.WriteAllText(md, report.ToMarkdown());
            if (parse.GetValue(json)) Console.WriteLine(report.ToJson());
            else Render(report);
            return ExitCodes.Success;
        }));
        return cmd;
    }

    private static void Render(BenchReport report)
    {
        var env = report.Environment;
        var torch = report.Torch is { } t
            ? $"PyTorch {t["torch"]} (OpenBLAS {t["openblas_core"]}, {t["openblas_threads"]} BLAS threads)"
            : $"PyTorch: {report.TorchUnavailable}";
        var table = new Table().Border(TableBorder.Simple)
            .Title(Markup.Escape($"asym bench, median of {report.Reps}: AsymNet with {env.Blas} ({env.BlasThreads} threads, policy {env.Threading.Text}) vs {torch}"));
        table.AddColumns("Workload", "Unit", "AsymNet", "PyTorch", "AsymNet/PyTorch", "Accuracy A / P", "Peak (added) MiB A / P", "PyTorch setting", "Note");
        foreach (var r in report.Rows)
            table.AddRow(r.Workload, r.Unit, Num(r.AsymMedian), Num(r.TorchMedian), r.Ratio is { } x ? $"[bold]{x:F2}×[/]" : "-",
                r.AsymAccuracy is null && r.TorchAccuracy is null ? "" : $"{Pct(r.AsymAccuracy)} / {Pct(r.TorchAccuracy)}",
                $"{Mib(r.AsymPeakMemoryMb)} ({Mib(r.AsymAddedMemoryMb)}) / {Mib(r.TorchPeakMemoryMb)} ({Mib(r.TorchAddedMemoryMb)})",
                Markup.Escape(r.TorchSetting ?? ""), Markup.Escape(r.Note ?? ""));
        TableOutput.Write(table);
    }

    private static string Num(double? v) => v is { } x ? x.ToString(x >= 1000 ? "N0" : "F1") : "-";

    private static string Mib(double? v) => v is { } x ? x.ToString("F0") : "-";

    private static string Pct(double? v) => v is { } x ? $"{100 * x:F1}%" : "-";
}
