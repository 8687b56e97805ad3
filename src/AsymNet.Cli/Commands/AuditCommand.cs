using System.CommandLine;
using System.Globalization;
using AsymNet.NN.Models;
using AsymNet.Symmetry.Audit;
using AsymNet.Tensors;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>`asym audit`: applies a standard network's parameter symmetries and reports how much the function changes.</summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weights, the probe batch and the transformations.", DefaultValueFactory = _ => 1UL };
        var batch = new Option<int>("--batch") { Description = "Probe batch size (nodes for graph models).", DefaultValueFactory = _ => 16 }.AtLeast(1);
        var cmd = new Command("audit", "Permute hidden units (and rescale them where ReLU allows) and report the change of the model's outputs: ~0 for standard networks, clearly non-zero for W-Asym and σ-Asym ones.");
        model.AddTo(cmd);
        cmd.Options.Add(seed);
        cmd.Options.Add(batch);
        cmd.SetAction(parse =>
        {
            var s = parse.GetValue(seed);
            var net = ModelFactory.Create(model.Config(parse), s);
            var input = AuditInputs.For(net, parse.GetValue(batch), Rng.ForKey(s, "audit/input"));
            var table = new Table().Border(TableBorder.Simple)
                .Title(Markup.Escape($"Symmetry audit: {parse.GetValue(model.Model)} ({net.Config.Variant}), batch {parse.GetValue(batch)}, seed {s}"));
            table.AddColumns("Transform", "Groups", "Units", "max |Δy|", "mean |Δy|", "mean |y|", "relative", "Function");
            foreach (var r in SymmetryAudit.RunAll(net, input, s))
            {
                if (!r.Applicable)
                {
                    table.AddRow(r.Transform.ToString(), "0", "0", "", "", "", "", "not applicable (no ReLU units)");
                    continue;
                }
                table.AddRow(r.Transform.ToString(), $"{r.Groups}", $"{r.Units:N0}", G(r.MaxAbsChange), G(r.MeanAbsChange), G(r.MeanAbsOutput),
                    G(r.RelativeChange), r.FunctionPreserved ? "[green]preserved[/]" : "[yellow]changed[/]");
            }
            TableOutput.Write(table);
            return 0;
        });
        return cmd;
    }

    private static string G(double v) => v.ToString("0.###e+0", CultureInfo.InvariantCulture);
}
