using System.CommandLine;
using System.Diagnostics;
using AsymNet.Experiments;
using AsymNet.Experiments.Report;
using AsymNet.Experiments.Runs;
using AsymNet.Tensors;

namespace AsymNet.Cli.Commands;

/// <summary>
/// `asym paper`: every experiment of <see cref="PaperSteps"/> at one scale, each in its own run folder under one
/// parent, then `asym report` over them. Resumable as a whole: a step whose manifest says completed is skipped, and
/// an unfinished one resumes its own jobs. Each step runs as a child asym process (its own progress, memory and
/// Ctrl+C), under this process's threading policy.
/// </summary>
public static class PaperCommand
{
    public static Command Create()
    {
        var scale = new Option<string>("--scale") { Description = "quick (about an hour and a half on 2 cores), paper (the paper's recipes: days) or tiny (seconds, a smoke test).", DefaultValueFactory = _ => "quick" };
        scale.AcceptOnlyFromAmong([.. PaperSteps.Scales]);
        var only = new Option<string?>("--only") { Description = "Comma-separated experiments or steps to run (e.g. lmc, or lmc-mlp); default all." };
        var plan = new Option<bool>("--plan") { Description = "Print every step's plan and the total estimate, and stop." };
        var outDir = new Option<string?>("--out") { Description = "Parent folder of the run folders (default runs/paper-<scale>)." };
        var reportDir = new Option<string?>("--report") { Description = "Report folder (default <out>/report)." };
        var cmd = new Command("paper", "Run every experiment of the paper at one scale into run folders under one parent (resumable), then write the report.")
        {
            scale, only, plan, outDir, reportDir,
        };
        cmd.SetAction(parse =>
        {
            var s = parse.GetValue(scale)!;
            var all = PaperSteps.For(s);
            var steps = all;
            if (parse.GetValue(only) is { } list)
            {
                var wanted = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
                var unknown = wanted.Where(w => !steps.Any(st => st.Name.Equals(w, StringComparison.OrdinalIgnoreCase) || st.Experiment.Equals(w, StringComparison.OrdinalIgnoreCase))).ToList();
                if (unknown.Count > 0)
                {
                    Console.Error.WriteLine($"asym: --only {string.Join(", ", unknown)}: not a step of the {s} scale in this build (steps: " +
                                            $"{string.Join(", ", steps.Select(st => st.Name))}; experiments: {string.Join(", ", steps.Select(st => st.Experiment).Distinct())}).");
                    return 2;
                }
                steps = steps.Where(st => wanted.Contains(st.Name) || wanted.Contains(st.Experiment)).ToList();
            }
            var parent = parse.GetValue(outDir) ?? Path.Combine("runs", $"paper-{s}");
            IReadOnlyList<PaperStep> InParent(IEnumerable<PaperStep> list) =>
                list.Select(st => st with { Args = st.Args.Select(a => a.Replace(PaperSteps.Parent, parent, StringComparison.Ordinal)).ToList() }).ToList();
            steps = InParent(steps);
            var missing = ReportSources.Paper.Where(p => all.All(st => st.Experiment != p.Experiment)).ToList();
            return parse.GetValue(plan)
                ? Plan(steps, InParent(all), parent, missing)
                : Run(steps, parent, parse.GetValue(reportDir) ?? Path.Combine(parent, "report"));
        });
        return cmd;
    }

    private static int Plan(IReadOnlyList<PaperStep> steps, IReadOnlyList<PaperStep> all, string parent, IReadOnlyList<PaperExperiment> missing)
    {
        Console.WriteLine($"asym paper: {steps.Count} step(s) into {parent}/");
        double total = 0;
        var unknown = 0;
        var plans = new Dictionary<string, StepPlan>();
        foreach (var step in steps)
        {
            var folder = Path.Combine(parent, step.Name);
            Console.WriteLine($"  {step.Name}: asym {string.Join(' ', step.Args)}");
            if (Completed(folder))
            {
                Console.WriteLine("    finished (skipped on a rerun)");
                continue;
            }
            var (code, output) = PlanChild(step, folder, parent, plans, all);
            if (code != 0 || PaperSteps.ParsePlan(output) is not { } p)
            {
                unknown++;
                Console.WriteLine($"    no plan (exit code {code}): {output.Trim().Split('\n').LastOrDefault()?.Trim()}");
                continue;
            }
            plans[step.Name] = p;
            Console.WriteLine($"    {p.Description}; {p.Pending} job(s) to run, {p.Finished} finished" +
                              (p.Seconds is { } sec ? $", estimated {JobProgressView.Duration(sec)}" : ", no estimate"));
            if (p.Seconds is { } t) total += t;
            else if (p.Pending > 0) unknown++;
        }
        foreach (var m in missing) Console.WriteLine($"  {m.Experiment}: missing ({m.PaperItems}): no step in this build");
        Console.WriteLine($"Total estimate: {JobProgressView.Duration(total)} on this machine{(unknown > 0 ? $", plus {unknown} step(s) without an estimate" : "")}, then the report.");
        return 0;
    }

    /// <summary>A step's <c>--plan --json</c> output; a step that reads a zoo not trained yet gets the zoo step's planned
    /// recipe (in a temporary file) as --zoo-recipe, planned here when --only left the zoo step out.</summary>
    private static (int Code, string Output) PlanChild(PaperStep step, string folder, string parent, IReadOnlyDictionary<string, StepPlan> plans, IReadOnlyList<PaperStep> all)
    {
        List<string> args = [.. step.Args, "--out", folder, "--plan", "--json"];
        if (step.ZooStep is not { } zoo || Completed(Path.Combine(parent, zoo))) return Child(args, capture: true);
        var zooPlan = plans.GetValueOrDefault(zoo) ?? (all.FirstOrDefault(st => st.Name == zoo) is { } z
            ? PaperSteps.ParsePlan(Child([.. z.Args, "--out", Path.Combine(parent, zoo), "--plan", "--json"], capture: true).Output)
            : null);
        if (zooPlan?.Recipe is null) return (1, $"the {zoo} step has no plan, so its zoo cannot be planned for");
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, zooPlan.Recipe.ToJsonString());
            return Child([.. args, "--zoo-recipe", file], capture: true);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static int Run(IReadOnlyList<PaperStep> steps, string parent, string reportDir)
    {
        var clock = Stopwatch.StartNew();
        var failed = new List<string>();
        foreach (var step in steps)
        {
            var folder = Path.Combine(parent, step.Name);
            if (Completed(folder))
            {
                Console.WriteLine($"asym paper: {step.Name} finished earlier, skipped ({folder}).");
                continue;
            }
            Console.WriteLine($"asym paper: {step.Name}: asym {string.Join(' ', step.Args)} --out {folder}");
            var (code, _) = Child([.. step.Args, "--out", folder], capture: false);
            if (code == 130) return 130;
            if (code != 0) failed.Add($"{step.Name} (exit code {code})");
        }
        Console.WriteLine($"asym paper: steps done in {JobProgressView.Duration(clock.Elapsed.TotalSeconds)}{(failed.Count > 0 ? $"; failed: {string.Join(", ", failed)}" : "")}.");
        var code2 = ReportCommand.Write(ReportSources.FindRuns(parent), reportDir);
        return failed.Count > 0 ? 1 : code2;
    }

    /// <summary>Whether a step's folder holds a run that finished every job (its manifest says completed).</summary>
    private static bool Completed(string folder)
    {
        var path = Path.Combine(folder, RunFolder.ManifestFile);
        if (!File.Exists(path)) return false;
        try
        {
            return ExperimentCatalog.LatestManifest(folder).Manifest.Status == "completed";
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>Runs this asym (the same assembly) as a child process; with <paramref name="capture"/> its standard
    /// output is returned instead of shown.</summary>
    private static (int Code, string Output) Child(IReadOnlyList<string> args, bool capture)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = capture };
        info.ArgumentList.Add(typeof(PaperCommand).Assembly.Location);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment[ThreadingPolicy.Variable] = ThreadingPolicy.Current.Text;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start a child asym process.");
        var output = capture ? process.StandardOutput.ReadToEnd() : "";
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
