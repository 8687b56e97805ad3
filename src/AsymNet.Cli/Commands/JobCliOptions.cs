using System.CommandLine;
using System.CommandLine.Parsing;
using AsymNet.Experiments.Jobs;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>
/// The options every job-list experiment shares: <c>--shard i/N</c> (run only this shard's jobs into the shared run
/// folder) and <c>--slurm</c> with <c>--slurm-args</c>, <c>--slurm-tasks</c> and <c>--dry-run</c> (submit the whole list as
/// a Slurm array plus a dependent collect job; docs/cluster.md).
/// </summary>
public sealed class JobCliOptions
{
    /// <summary>Environment variable naming the command a Slurm task runs asym with (default: this process's own).</summary>
    public const string LauncherVariable = "ASYM_LAUNCHER";

    public Option<string?> Shard { get; } = new("--shard")
    {
        Description = "Run only shard i of N (jobs whose index ≡ i mod N) into the shared run folder; `asym collect` builds the tables once all shards are done.",
    };

    public Option<bool> Slurm { get; } = new("--slurm")
    {
        Description = "Submit the job list to Slurm: an sbatch array (one shard per task) and a dependent `asym collect` job. Scripts go to RUN/slurm/.",
    };

    public Option<string?> SlurmArgs { get; } = new("--slurm-args")
    {
        Description = "Extra sbatch options for both submissions, e.g. \"--partition=gpu --time=04:00:00 --mem=8G --account=lab\".",
    };

    public Option<int?> SlurmTasks { get; } = new("--slurm-tasks")
    {
        Description = "Array tasks (shards) for --slurm (default: one per job).",
    };

    public Option<bool> DryRun { get; } = new("--dry-run")
    {
        Description = "With --slurm: write the batch scripts and print the sbatch commands without submitting.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Shard);
        command.Options.Add(Slurm);
        command.Options.Add(SlurmArgs);
        command.Options.Add(SlurmTasks);
        command.Options.Add(DryRun);
    }

    /// <summary>The shard to run (all jobs when --shard is absent); throws ArgumentException on a malformed value.</summary>
    public Shard GetShard(ParseResult parse) =>
        parse.GetValue(Shard) is { } text ? Experiments.Jobs.Shard.Parse(text) : Experiments.Jobs.Shard.All;

    public bool WantsSlurm(ParseResult parse) => parse.GetValue(Slurm);

    /// <summary>
    /// Validates the combination of options; a usage error message or null. --slurm with --shard, or --dry-run or
    /// Slurm options without --slurm, make no sense.
    /// </summary>
    public string? Validate(ParseResult parse)
    {
        var slurm = parse.GetValue(Slurm);
        if (slurm && parse.GetValue(Shard) is not null) return "--slurm submits every shard itself; leave out --shard.";
        if (!slurm && (parse.GetValue(DryRun) || parse.GetValue(SlurmArgs) is not null || parse.GetValue(SlurmTasks) is not null))
            return "--dry-run, --slurm-args and --slurm-tasks only apply with --slurm.";
        if (parse.GetValue(SlurmTasks) is < 1) return "--slurm-tasks must be at least 1.";
        try
        {
            GetShard(parse);
            SlurmSubmission.SplitArguments(parse.GetValue(SlurmArgs));
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
        return null;
    }

    /// <summary>
    /// Submits the experiment of <paramref name="runDir"/> (already prepared: recipe.json written) to Slurm and prints
    /// the job ids and how to follow them. Returns the exit code.
    /// </summary>
    public int Submit(ParseResult parse, string experiment, string runDir, int jobCount)
    {
        var tasks = Math.Min(parse.GetValue(SlurmTasks) ?? jobCount, Math.Max(1, jobCount));
        var dryRun = parse.GetValue(DryRun);
        var request = new SlurmSubmission.Request(runDir, experiment, Launcher(), ShardArguments(parse, runDir), tasks,
            SlurmSubmission.SplitArguments(parse.GetValue(SlurmArgs)), Environment.CurrentDirectory);
        SlurmSubmission.Submitted s;
        try
        {
            s = SlurmSubmission.Submit(request, dryRun);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"asym: {e.Message}");
            return 1;
        }
        Console.WriteLine($"Slurm scripts: {s.ArrayScriptPath}, {s.CollectScriptPath}");
        if (dryRun)
        {
            var extra = string.Join(' ', request.SlurmArguments.Select(SlurmSubmission.Quote));
            Console.WriteLine($"Not submitted (--dry-run). To submit: sbatch --array=0-{tasks - 1} {extra} {s.ArrayScriptPath}");
            Console.WriteLine($"  then: sbatch --dependency=afterany:<array job id> {extra} {s.CollectScriptPath}");
            return 0;
        }
        Console.WriteLine($"Submitted array job {s.ArrayJobId} ({tasks} task(s), {jobCount} job(s)) and collect job {s.CollectJobId} (after the array).");
        Console.WriteLine($"Follow: squeue -j {s.ArrayJobId},{s.CollectJobId}   logs: {Path.Combine(runDir, SlurmSubmission.Dir)}/*.out   " +
                          $"cancel: scancel {s.ArrayJobId} {s.CollectJobId}");
        Console.WriteLine($"After a preemption or cancel, submit the same command again: finished jobs are skipped. Tables: asym collect {runDir}");
        return 0;
    }

    /// <summary>The command a task runs asym with: ASYM_LAUNCHER (split on spaces), else this process (the dotnet
    /// host with this assembly, or the apphost/tool itself).</summary>
    public static IReadOnlyList<string> Launcher()
    {
        if (Environment.GetEnvironmentVariable(LauncherVariable) is { Length: > 0 } text) return SlurmSubmission.SplitArguments(text);
        var process = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, typeof(JobCliOptions).Assembly.Location] : [process];
    }

    /// <summary>This command's own arguments without the Slurm options, --shard and --out, then --out RUN.</summary>
    private IReadOnlyList<string> ShardArguments(ParseResult parse, string runDir)
    {
        var withValue = new HashSet<string> { SlurmArgs.Name, SlurmTasks.Name, Shard.Name, "--out" };
        var flags = new HashSet<string> { Slurm.Name, DryRun.Name };
        var words = new List<string>();
        var tokens = parse.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Type == TokenType.Option && withValue.Contains(t.Value)) { i++; continue; }
            if (t.Type == TokenType.Option && flags.Contains(t.Value)) continue;
            words.Add(t.Value);
        }
        words.Add("--out");
        words.Add(runDir);
        return words;
    }

    /// <summary>A one-line account of a shard's or collect's outcome for the console.</summary>
    public static void WriteMissing(IReadOnlyList<string> missing, IReadOnlyList<(string Job, string Error)> failed)
    {
        foreach (var (job, error) in failed) AnsiConsole.MarkupLine($"[red]{Markup.Escape($"{job} failed: {error}")}[/]");
        if (missing.Count > 0)
            AnsiConsole.MarkupLine(Markup.Escape($"{missing.Count} job(s) not finished yet: {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? ", …" : "")}."));
    }
}
