using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;
using AsymNet.Symmetry.Audit;
using AsymNet.Symmetry.Matching;
using AsymNet.Tensors;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>
/// `asym rebasin`: Git Re-Basin weight matching of checkpoint B to checkpoint A; writes B permuted into A's basin
/// (atomically) and reports the matching objective before and after, each permutation's moved units, and the largest
/// change of B's logits on a random probe batch (≈ 0 for standard networks: the aligned file is the same function).
/// </summary>
public static class RebasinCommand
{
    public static Command Create()
    {
        var a = new Option<string>("--a") { Description = "Checkpoint A (the reference basin), safetensors.", Required = true };
        var b = new Option<string>("--b") { Description = "Checkpoint B (to be permuted), safetensors.", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write B aligned to A (safetensors).", Required = true };
        var model = new ModelOptions();
        model.Model.Required = false;
        model.Model.Description = "Architecture for checkpoints without an AsymNet config (e.g. saved from PyTorch with the authors' keys): " + model.Model.Description;
        var seed = new Option<ulong>("--seed") { Description = "Seed of the permutation order within each sweep, and of the probe batch.", DefaultValueFactory = _ => 0UL };
        var maxSweeps = new Option<int>("--max-sweeps") { Description = "Sweep limit.", DefaultValueFactory = _ => WeightMatching.DefaultMaxSweeps }.AtLeast(1);
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of tables." };
        var cmd = new Command("rebasin", "Permute checkpoint B's hidden units into checkpoint A's basin (Git Re-Basin weight matching) and save it.");
        foreach (var o in new Option[] { a, b, output }) cmd.Options.Add(o);
        model.AddTo(cmd);
        foreach (var o in new Option[] { seed, maxSweeps, json }) cmd.Options.Add(o);
        cmd.SetAction(parse => CommandErrors.Guard("rebasin", parse.GetValue(json), () =>
        {
            var asJson = parse.GetValue(json);
            var fallback = parse.GetValue(model.Model) is null ? null : model.Config(parse);
            var (pathA, pathB, pathOut) = (parse.GetValue(a)!, parse.GetValue(b)!, parse.GetValue(output)!);
            OutputPaths.CheckFile(pathOut, "--out");
            var fileA = Safetensors.Load(pathA);
            var netA = Checkpoint.Load(fileA, fallback);
            var fileB = Safetensors.Load(pathB);
            var netB = Checkpoint.Load(fileB, fallback);
            foreach (var file in new[] { fileA, fileB })
                if (CheckpointDiagnosis.NonFinite(file) is { } warning) Terminal.Warning("rebasin", warning);
            if (!netA.Config.Equals(netB.Config))
                Terminal.Warning("rebasin", $"{pathA} and {pathB} have different model configs; matching by tensor shapes.");
            var s = parse.GetValue(seed);
            WeightMatchingResult result;
            Dictionary<string, Tensor> state;
            try
            {
                (state, result) = WeightMatching.Align(netA, netB, Rng.ForKey(s, "rebasin/order"), parse.GetValue(maxSweeps));
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{pathA} and {pathB} cannot be matched: {e.Message}", e);
            }
            var aligned = ModelFactory.Create(netB.Config, initSeed: 0);
            aligned.LoadStateDict(state);
            var probe = AuditInputs.For(netB, 16, Rng.ForKey(s, "rebasin/probe"));
            var delta = FunctionComparison.MaxAbsDifference(netB, aligned, probe);
            // B's metadata (dataset, seeds, test metrics) still describes the aligned network: it is the same function.
            var metadata = fileB.Metadata.Where(kv => kv.Key != Checkpoint.ConfigKey).ToDictionary();
            metadata["rebasin_a"] = Path.GetFileName(pathA);
            metadata["rebasin_b"] = Path.GetFileName(pathB);
            metadata["rebasin_seed"] = s.ToString(CultureInfo.InvariantCulture);
            Checkpoint.Save(pathOut, aligned, metadata);
            if (asJson) Console.WriteLine(Json(result, delta, pathOut));
            else Render(result, delta, netB.Config, pathOut);
            return ExitCodes.Success;
        }));
        return cmd;
    }

    private static string Json(WeightMatchingResult r, double delta, string output) => JsonSerializer.Serialize(new
    {
        status = "ok",
        output,
        objectiveBefore = r.ObjectiveBefore,
        objectiveAfter = r.ObjectiveAfter,
        sweeps = r.Sweeps,
        converged = r.Converged,
        maxAbsLogitChange = delta,
        permutations = r.Changes.Select(c => new { name = c.Name, size = c.Size, unitsMoved = c.UnitsMoved }),
    });

    private static void Render(WeightMatchingResult r, double delta, ModelConfig config, string output)
    {
        var table = new Table().Border(TableBorder.Simple).Title(Markup.Escape($"Weight matching: {r.Changes.Count} permutations"));
        table.AddColumns("Permutation", "Units", "Moved");
        foreach (var c in r.Changes) table.AddRow(Markup.Escape(c.Name), $"{c.Size}", $"{c.UnitsMoved}");
        TableOutput.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"objective Σ<W_A, P(W_B)>: {r.ObjectiveBefore:G6} (identity) -> {r.ObjectiveAfter:G6} after {r.Sweeps} sweeps ({(r.Converged ? "converged" : "sweep limit")})")));
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"max |Δlogit| of B on a probe batch: {delta:G3}")) +
            (config.Variant == Variant.Standard ? "" : " [yellow](not a symmetry: this network's fixed parts stay in place)[/]"));
        AnsiConsole.MarkupLine(Markup.Escape($"wrote {output}"));
    }
}
