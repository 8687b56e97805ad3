using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AsymNet.Data;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Lmc;
using AsymNet.Experiments.Lmc.Tuning;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>
/// `asym lmc --tune`: the paper's tuning protocol for the MLP (docs/lmc.md, Tuning): a search over epochs × learning
/// rate × weight decay per kind of network on a validation split, then the test run with the chosen values.
/// </summary>
public sealed class LmcTuneOptions
{
    /// <summary>--json prints one object on one line.</summary>
    private static readonly JsonSerializerOptions OneLine = new(LmcJson.Options) { WriteIndented = false };

    public Option<bool> Tune { get; } = new("--tune")
    {
        Description = "Tune epochs, lr and weight decay per kind of network to minimise the barrier on a validation split (paper E.1.1; MLP only), then run --pairs test pairs with the chosen values.",
    };

    public Option<string?> Grid { get; } = new("--tune-grid")
    {
        Description = "With --tune: the grid, e.g. \"epochs=4,8,16;lr=3e-4,1e-3,3e-3;wd=0,0.03,0.3\" (the default: ½/1/2× the recipe's epochs, 0.3/1/3× its lr, 0/1/10× its wd); an axis left out keeps the default's.",
    };

    public Option<int?> Pairs { get; } = new("--tune-pairs") { Description = "With --tune: pairs per grid cell and kind of network (default 1)." };

    public Option<int?> Valid { get; } = new("--tune-valid")
    {
        Description = $"With --tune: validation images held out of the training data (default: the paper recipe's hold-out, quick {LmcTuneRecipe.QuickValidation:N0}).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Tune);
        command.Options.Add(Grid);
        command.Options.Add(Pairs);
        command.Options.Add(Valid);
    }

    public bool Wanted(ParseResult parse) => parse.GetValue(Tune);

    /// <summary>A usage error message, or null: the --tune-… options need --tune.</summary>
    public string? Validate(ParseResult parse) =>
        !parse.GetValue(Tune) && (parse.GetValue(Grid) is not null || parse.GetValue(Pairs) is not null || parse.GetValue(Valid) is not null)
            ? "--tune-grid, --tune-pairs and --tune-valid only apply with --tune."
            : null;

    public int Run(ParseResult parse, LmcConfig config, string? outDir, DataPaths paths, bool planOnly, bool json, JobCliOptions jobs)
    {
        var recipe = LmcTuneRecipe.Resolve(config, parse.GetValue(Grid), parse.GetValue(Pairs) ?? 1, parse.GetValue(Valid));
        var folder = outDir ?? LmcCommand.DefaultFolder(recipe.Base) + "-tune";
        LmcCommand.CheckFolder(new LmcTuneExperiment(recipe, folder));
        var commandLine = TrainRunner.CommandLine(parse);
        if (jobs.WantsSlurm(parse)) return Submit(parse, jobs, new LmcTuneExperiment(recipe, folder), commandLine);
        var shard = jobs.GetShard(parse);
        if (!json) WriteRecipe(recipe, folder);
        var data = Datasets.LoadImages(recipe.Base.Dataset, paths);
        var e = new LmcTuneExperiment(recipe, folder, data);
        var plan = LmcTuneRun.Plan(e, data, shard, estimate: true);
        var estimate = plan.EstimatedSeconds is { } s ? $", estimated {JobProgressView.Duration(s)} on this machine" : "";
        var planText = $"{plan.Task}: search {plan.SearchPending} job(s) to run ({plan.SearchFinished} finished), test {plan.TestPending} job(s) to run ({plan.TestFinished} finished){estimate}";
        if (planOnly)
        {
            if (json) return PaperSteps.PrintPlan(e.Name, e.RunDir, plan.SearchPending + plan.TestPending, plan.SearchFinished + plan.TestFinished, plan.EstimatedSeconds, planText);
            AnsiConsole.MarkupLine(Markup.Escape("  " + planText + "."));
            return ExitCodes.Success;
        }
        if (!json) AnsiConsole.MarkupLine(Markup.Escape("  " + planText + "."));
        using var ctrlC = new CtrlC();
        try
        {
            return Run(e, data, new JobRunOptions { CommandLine = commandLine, Shard = shard, Cancel = ctrlC.Token }, plan.SearchPending, json);
        }
        catch (OperationCanceledException)
        {
            Terminal.Error("lmc", $"interrupted. Finished search and test jobs are kept in {e.RunDir}; run the same command again to resume.");
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>The search, then (once it is finished) the test run with the chosen values.</summary>
    private static int Run(LmcTuneExperiment e, (ImageDataset Train, ImageDataset Test) data, JobRunOptions options, int searchPending, bool json)
    {
        var (shard, commandLine) = (options.Shard, options.CommandLine);
        var search = json
            ? JobEngine.Run(e, options)
            : JobProgressView.Run(searchPending, listener => JobEngine.Run(e, options with { OnEvent = listener }),
                p => p.Payload is LmcNetworkEpoch n ? string.Create(CultureInfo.InvariantCulture, $"net {n.Network + 1} epoch {n.Progress.Epoch}/{n.Progress.Epochs} loss {n.Progress.TrainLoss:0.000}") : null);
        if (LmcTuneRun.Final(e, search) is not { } final)
        {
            if (json) Console.WriteLine(JsonSerializer.Serialize(new { runDir = e.RunDir, phase = "search", ran = search.Ran, missing = search.Missing }, OneLine));
            else
            {
                AnsiConsole.MarkupLine(Markup.Escape($"The search is not finished ({search.Finished.Count} of {search.Finished.Count + search.Missing.Count} jobs); " +
                                                     "run the same command again (after the other shards, if any): it retries failed jobs and goes on with the test pairs."));
                JobCliOptions.WriteMissing(search.Missing, search.Failed);
            }
            return search.Failed.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
        }
        if (!json)
            foreach (var h in final.Tuned!)
                AnsiConsole.MarkupLine(Markup.Escape($"  chosen for {h.Family.ToString().ToLowerInvariant()}: {h.Describe()}"));
        var test = new LmcExperiment(final, e.TestRunDir);
        LmcCommand.CheckFolder(test);
        using var task = new ImageLmcTask(final, data);
        var result = json
            ? test.Run(task, null, options.Cancel, commandLine, shard: shard)
            : LmcCommand.RunWithProgress(test, task, test.Plan(task, estimate: false, shard), options.Cancel, commandLine, shard);
        var tables = shard.IsAll ? e.WriteTables(search.Finished, null) : null;
        if (json) Console.WriteLine(JsonSerializer.Serialize(new { runDir = e.RunDir, phase = "test", tune = tables, summaries = result.Summaries, missing = result.Missing }, OneLine));
        else if (shard.IsAll)
        {
            LmcCommand.WriteSummary(result);
            AnsiConsole.MarkupLine(Markup.Escape($"Tuning: {e.RunDir}/{LmcTuneReport.TableFile}, {LmcTuneReport.ChoiceFile}, {LmcReport.SummaryFile}; test run: {e.TestRunDir}."));
        }
        if (!json) JobCliOptions.WriteMissing(shard.IsAll ? result.Missing : [], result.Failed);
        return result.Failed.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static void WriteRecipe(LmcTuneRecipe r, string folder)
    {
        var b = r.Base;
        AnsiConsole.MarkupLine($"[bold]asym lmc --tune[/]: {Markup.Escape(b.Model)} on {Markup.Escape(b.Dataset)}, {b.Scale.ToString().ToLowerInvariant()} scale → {Markup.Escape(folder)}");
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"  search per kind of network [{string.Join(", ", r.Families.Select(f => f.ToString().ToLowerInvariant()))}]: {r.Grid}, {r.SearchPairs} pair(s) per cell, " +
            $"barrier on {b.ValidHoldout:N0} validation images held out of the training data; then {b.Pairs} test pair(s) × [{string.Join(", ", b.Variants.Select(v => v.Name()))}].")));
    }

    /// <summary>Submits the phase that is due: the search while it is unfinished, else the test pairs (run the command again
    /// with --slurm after the search's jobs are done).</summary>
    private static int Submit(ParseResult parse, JobCliOptions jobs, LmcTuneExperiment e, string commandLine)
    {
        var run = JobEngine.PrepareFolder(e, commandLine, Shard.All);
        var search = JobEngine.Plan(e, Shard.All);
        var finished = search.Finished.Select(j => JobStore.TryRead(e, j.Job)).OfType<LmcTuneTrialResult>().ToList();
        var final = search.Pending.Count == 0 ? e.FinalRecipe(finished) : null;
        var count = final is null ? search.Total : new LmcExperiment(final, e.TestRunDir).Jobs().Count;
        AnsiConsole.MarkupLine(Markup.Escape(final is null
            ? $"Submitting the search ({search.Pending.Count} of {search.Total} jobs to run). When it is done, submit the same command again for the test pairs."
            : $"The search is finished; submitting the test pairs ({count} jobs)."));
        var code = jobs.Submit(parse, e.Name, e.RunDir, count);
        run.Complete(code == 0 ? "submitted" : "failed", null);
        return code;
    }
}
