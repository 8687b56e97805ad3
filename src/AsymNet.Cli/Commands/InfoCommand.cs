using System.CommandLine;
using AsymNet.NN.Models;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>`asym info`: a model's layers with shapes and total/trainable/fixed parameters (the paper's tables).</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var masksHash = new Option<bool>("--masks-hash") { Description = "Print only the SHA-256 of the masks, F and FiGLU matrices." };
        var json = new Option<bool>("--json") { Description = "Print the model config as JSON." };
        var cmd = new Command("info", "Show a model's layers and parameter counts (total, trainable, fixed).");
        model.AddTo(cmd);
        cmd.Options.Add(masksHash);
        cmd.Options.Add(json);
        cmd.SetAction(parse =>
        {
            var config = model.Config(parse);
            var net = ModelFactory.Create(config, initSeed: 0);
            if (parse.GetValue(masksHash)) Console.WriteLine(net.FixedStateHash());
            else if (parse.GetValue(json)) Console.WriteLine(config.ToJson());
            else Render(net);
            return 0;
        });
        return cmd;
    }

    private static void Render(Model net)
    {
        var c = net.Config;
        var table = new Table().Border(TableBorder.Simple)
            .Title(Markup.Escape($"{c.Architecture} ({c.Variant}), input [{string.Join(", ", c.InputShape)}], {c.Classes} classes, arch seed {c.ArchitectureSeed}{(c.Strength is { } st ? $", asymmetry {st}" : "")}"));
        table.AddColumns("Layer", "Type", "Shape", "Params", "Fixed", "Trainable", "Asymmetry", "Rows distinct");
        var rows = ModelSummary.Layers(net);
        foreach (var row in rows)
            table.AddRow(Markup.Escape(row.Name), row.Type, Markup.Escape(row.Shape), $"{row.Parameters:N0}", $"{row.Fixed:N0}", $"{row.Trainable:N0}",
                Markup.Escape(row.Asymmetry), row.Mask is null ? "" : row.Mask.RowsDistinct ? "yes" : "[yellow]no[/]");
        table.AddEmptyRow();
        table.AddRow("[bold]total[/]", "", "", $"[bold]{net.TotalParameterCount():N0}[/]", $"[bold]{net.FixedParameterCount():N0}[/]",
            $"[bold]{net.TrainableParameterCount():N0}[/]", "", "");
        TableOutput.Write(table);
        foreach (var row in rows.Where(r => r.Mask?.Note is not null))
            AnsiConsole.MarkupLine(Markup.Escape($"{row.Name}: {row.Mask}"));
    }
}
