using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AsymNet.Experiments.Zoo;
using AsymNet.Tensors;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>`asym zoo stats DIR`: the paper's Appendix A statistics of a zoo, next to the paper's.</summary>
public static class ZooStatsCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "Zoo folder (zoo.csv and networks/)." };
        var pairs = new Option<int>("--pairs") { Description = "Random pairs of networks per variant for the distance (the paper: 20,000).", DefaultValueFactory = _ => 20_000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the pair draw.", DefaultValueFactory = _ => 0UL };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var cmd = new Command("stats", "Mean train/test accuracy per variant and mean distance per parameter between trained networks (paper Appendix A).")
        {
            dir, pairs, seed, json,
        };
        cmd.SetAction(parse =>
        {
            IReadOnlyList<ZooVariantStatistics> stats;
            try
            {
                if (parse.GetValue(pairs) < 1) throw new ArgumentException("--pairs must be at least 1.");
                stats = ZooStatistics.Compute(ZooReader.Open(parse.GetValue(dir)!), parse.GetValue(pairs), parse.GetValue(seed));
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
                return 1;
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(stats, new JsonSerializerOptions(JsonFormat.Options) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
                return 0;
            }
            var table = new Table().Border(TableBorder.Simple).Title("Zoo statistics (paper Appendix A)");
            table.AddColumns("Variant", "Networks", "Diverged", "Train acc.", "Test acc.", "Trainable", "Pairs", "Distance / param.", "Paper train / test / distance");
            foreach (var s in stats)
            {
                var paper = ZooStatistics.Paper.TryGetValue(s.Variant, out var p)
                    ? string.Create(CultureInfo.InvariantCulture, $"{100 * p.Train:0.0}% / {100 * p.Test:0.0}% / {p.Distance:0.0000}") : "–";
                table.AddRow(s.Variant, I(s.Networks), I(s.Diverged), Pct(s.TrainAccuracy), Pct(s.TestAccuracy), I(s.TrainableParameters), I(s.Pairs),
                    double.IsNaN(s.DistancePerParameter) ? "–" : s.DistancePerParameter.ToString("0.00000", CultureInfo.InvariantCulture), paper);
            }
            TableOutput.Write(table);
            return 0;
        });
        return cmd;
    }

    private static string I(int v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Pct(double v) => double.IsNaN(v) ? "–" : string.Create(CultureInfo.InvariantCulture, $"{100 * v:0.0}%");
}
