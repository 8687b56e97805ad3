using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsymNet.Experiments;

namespace AsymNet.Cli.Commands;

/// <summary>One experiment run of <c>asym paper</c>: its folder name under the parent, the experiment its manifest
/// records, and the asym command line that makes it (without --out; <see cref="PaperSteps.Parent"/> in an argument
/// stands for the parent folder, so a step can read an earlier step's folder).</summary>
public sealed record PaperStep(string Name, string Experiment, IReadOnlyList<string> Args)
{
    /// <summary>The earlier step whose zoo folder this one reads (--zoo): until that zoo is trained, --plan passes the
    /// zoo step's planned recipe as --zoo-recipe.</summary>
    public string? ZooStep { get; init; }
}

/// <summary>A step's <c>--plan --json</c> object as <c>asym paper --plan</c> reads it.</summary>
public sealed record StepPlan(int Pending, int Finished, double? Seconds, string Description, JsonNode? Recipe);

/// <summary>
/// What <c>asym paper</c> runs at each scale. A step's command must (1) resume in the folder given by --out, exiting
/// 0 once every job is finished, and (2) with <c>--plan --json</c> print one JSON object with "pending", "finished"
/// and "estimatedSeconds" (null when unknown), as <see cref="PrintPlan"/> writes it. A new experiment adds its steps
/// here; until then the report lists it as missing.
/// </summary>
public static class PaperSteps
{
    public static IReadOnlyList<string> Scales { get; } = ["quick", "paper", "tiny"];

    /// <summary>Replaced by the parent folder in a step's arguments.</summary>
    public const string Parent = "{parent}";

    /// <summary>The steps of <paramref name="scale"/> whose experiment this build has (registered in
    /// <see cref="ExperimentCatalog"/>): steps of experiments still being built appear once they are merged.</summary>
    public static IReadOnlyList<PaperStep> For(string scale) => All(scale).Where(s => ExperimentCatalog.Names.Contains(s.Experiment)).ToList();

    private static IReadOnlyList<PaperStep> All(string scale) => scale switch
    {
        // The quick ResNet reads Fashion-MNIST: CIFAR-10 cannot be fetched on every machine, and this keeps the quick
        // scale runnable everywhere. ResNet20×8 is left to the paper scale (hours even at its quick recipe).
        "quick" =>
        [
            new("lmc-mlp", "lmc", ["lmc", "--model", "mlp", "--scale", "quick"]),
            new("lmc-resnet20", "lmc", ["lmc", "--model", "resnet20", "--dataset", "fashion-mnist", "--scale", "quick"]),
            new("lmc-gnn", "lmc", ["lmc", "--model", "gnn", "--scale", "quick"]),
            new("bnn", "bnn", ["bnn", "--scale", "quick"]),
            new("zoo", "zoo", ["zoo", "--scale", "quick"]),
            // MLP and StatNN with the paper's protocol: DMC and DeepSets would add over an hour here (docs/zoo.md#table3).
            new("metanet", "metanet", ["metanet", "--zoo", Parent + "/zoo", "--metanets", "mlp,statnn"]) { ZooStep = "zoo" },
            new("mli", "mli", ["mli", "--scale", "quick"]),
            new("sweep", "sweep", ["sweep", "--scale", "quick"]),
        ],
        "paper" =>
        [
            new("lmc-mlp", "lmc", ["lmc", "--model", "mlp", "--scale", "paper"]),
            new("lmc-resnet20", "lmc", ["lmc", "--model", "resnet20", "--scale", "paper"]),
            new("lmc-resnet20x8", "lmc", ["lmc", "--model", "resnet20x8", "--scale", "paper"]),
            new("lmc-gnn", "lmc", ["lmc", "--model", "gnn", "--scale", "paper"]),
            new("bnn", "bnn", ["bnn", "--scale", "paper"]),
            new("zoo", "zoo", ["zoo", "--scale", "paper"]),
            new("metanet", "metanet", ["metanet", "--zoo", Parent + "/zoo"]) { ZooStep = "zoo" },
            new("mli", "mli", ["mli", "--scale", "paper"]),
            new("sweep", "sweep", ["sweep", "--scale", "paper"]),
        ],
        // Seconds, for tests and a first look: every experiment's pipeline end to end on a handful of examples (one or
        // two epochs, 100-odd images, a few networks); the numbers mean nothing.
        "tiny" =>
        [
            new("lmc-mlp", "lmc", ["lmc", "--model", "mlp", "--variants", "standard,rebasin,w", "--pairs", "2", "--epochs", "1", "--points", "3", "--train-size", "128", "--test-size", "100"]),
            new("bnn", "bnn", ["bnn", "--models", "mlp8", "--dataset", "mnist10k", "--epochs", "1", "--train-size", "128", "--test-size", "64", "--samples", "2"]),
            new("zoo", "zoo", ["zoo", "--networks", "8", "--train-size", "128", "--test-size", "100"]),
            new("metanet", "metanet", ["metanet", "--zoo", Parent + "/zoo", "--lrs", "0.001", "--runs", "1", "--epochs", "2", "--batch-size", "4"]) { ZooStep = "zoo" },
            new("mli", "mli", ["mli", "--networks", "2", "--train-size", "128", "--test-size", "100", "--points", "5"]),
            new("sweep", "sweep", ["sweep", "--model", "mlp", "--grid", "nfix=0,1;kappa=0,1", "--seeds", "2", "--epochs", "1", "--train-size", "128", "--test-size", "64"]),
        ],
        _ => throw new ArgumentException($"Unknown scale '{scale}'; use {string.Join(", ", Scales)}."),
    };

    /// <summary>The <c>--json</c> option of a step command that has no JSON output of its own (with --plan only).</summary>
    public static Option<bool> PlanJsonOption() =>
        new("--json") { Description = "With --plan: print the plan as one JSON object (what asym paper --plan reads)." };

    /// <summary>Prints the plan object of a step command under <c>--plan --json</c>; returns the success exit code. A step
    /// whose folder a later step reads (the zoo) adds its <paramref name="recipe"/>, so that the later step can be planned
    /// before this one has run.</summary>
    public static int PrintPlan(string experiment, string runDir, int pending, int finished, double? estimatedSeconds, string description, JsonNode? recipe = null)
    {
        Console.WriteLine(new JsonObject
        {
            ["experiment"] = experiment,
            ["runDir"] = runDir,
            ["pending"] = pending,
            ["finished"] = finished,
            ["estimatedSeconds"] = estimatedSeconds,
            ["description"] = description,
            ["recipe"] = recipe,
        }.ToJsonString());
        return ExitCodes.Success;
    }

    /// <summary>Reads the last line of a step's <c>--plan --json</c> output that parses as such an object.</summary>
    public static StepPlan? ParsePlan(string output)
    {
        foreach (var line in output.Split('\n').Reverse().Select(l => l.Trim()).Where(l => l.StartsWith('{')))
        {
            try
            {
                if (JsonNode.Parse(line) is JsonObject o && o["pending"] is not null)
                    return new StepPlan(o["pending"]!.GetValue<int>(), o["finished"]?.GetValue<int>() ?? 0, o["estimatedSeconds"]?.GetValue<double>(),
                        o["description"]?.GetValue<string>() ?? "", o["recipe"]?.DeepClone());
            }
            catch (JsonException)
            {
                // Not the plan object; keep looking.
            }
        }
        return null;
    }
}
