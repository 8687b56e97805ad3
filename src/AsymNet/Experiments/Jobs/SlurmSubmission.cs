using System.Diagnostics;
using System.Globalization;
using System.Text;
using AsymNet.Data;

namespace AsymNet.Experiments.Jobs;

/// <summary>
/// Runs a job list on a Slurm cluster with Slurm's own tools: writes slurm/array.sbatch (each array task runs
/// <c>asym … --shard $SLURM_ARRAY_TASK_ID/N</c> into the shared run folder) and slurm/collect.sbatch (<c>asym collect</c>),
/// submits the array with <c>sbatch --array=0-(N−1)</c> and the collect job with <c>--dependency=afterany:&lt;array&gt;</c>,
/// so the tables are rebuilt once every task has ended, whether or not all succeeded. A preempted or cancelled task
/// loses only its jobs in flight: submitting the same command again runs only what is missing.
/// </summary>
public static class SlurmSubmission
{
    public const string Dir = "slurm";
    public const string ArrayScript = "array.sbatch";
    public const string CollectScript = "collect.sbatch";

    /// <summary>What to submit. <paramref name="Launcher"/> and <paramref name="ShardArguments"/> form the command each
    /// task runs (without --shard, which the script appends); <paramref name="SlurmArguments"/> go to both sbatch calls.</summary>
    public sealed record Request(
        string RunDir,
        string Experiment,
        IReadOnlyList<string> Launcher,
        IReadOnlyList<string> ShardArguments,
        int Tasks,
        IReadOnlyList<string> SlurmArguments,
        string WorkingDirectory);

    public sealed record Submitted(string ArrayScriptPath, string CollectScriptPath, string? ArrayJobId, string? CollectJobId);

    /// <summary>Writes both scripts; submits them unless <paramref name="dryRun"/>.</summary>
    public static Submitted Submit(Request r, bool dryRun)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(r.Tasks, 1);
        var dir = Path.Combine(r.RunDir, Dir);
        Directory.CreateDirectory(dir);
        var array = Path.Combine(dir, ArrayScript);
        var collect = Path.Combine(dir, CollectScript);
        var shard = string.Create(CultureInfo.InvariantCulture, $"\"${{SLURM_ARRAY_TASK_ID}}/{r.Tasks}\"");
        WriteScript(array, r, $"asym-{r.Experiment}", Path.Combine(dir, "task-%A_%a.out"),
            Command([.. r.Launcher, .. r.ShardArguments]) + " --shard " + shard);
        WriteScript(collect, r, $"asym-{r.Experiment}-collect", Path.Combine(dir, "collect-%j.out"),
            Command([.. r.Launcher, "collect", r.RunDir]));
        if (dryRun) return new Submitted(array, collect, null, null);
        var arrayId = Sbatch([$"--array=0-{r.Tasks - 1}", .. r.SlurmArguments, array]);
        var collectId = Sbatch([$"--dependency=afterany:{arrayId}", .. r.SlurmArguments, collect]);
        return new Submitted(array, collect, arrayId, collectId);
    }

    private static void WriteScript(string path, Request r, string name, string output, string command)
    {
        var text = new StringBuilder()
            .Append("#!/bin/bash\n")
            .Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name={name}\n")
            .Append(CultureInfo.InvariantCulture, $"#SBATCH --output={output}\n")
            .Append("# Written by asym --slurm; submitted with sbatch (see docs/cluster.md). Rerunning a task is safe:\n")
            .Append("# finished jobs in the run folder are skipped.\n")
            .Append("set -euo pipefail\n")
            .Append(CultureInfo.InvariantCulture, $"cd {Quote(r.WorkingDirectory)}\n")
            .Append(CultureInfo.InvariantCulture, $"exec {command}\n")
            .ToString();
        AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(text)));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                       | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    private static string Command(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));

    /// <summary>Single-quotes a word for bash unless it is plainly safe.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? word : "'" + word.Replace("'", "'\\''") + "'";

    /// <summary>Runs sbatch --parsable and returns the job id (the part before any ";cluster").</summary>
    private static string Sbatch(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--parsable");
        foreach (var a in arguments) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("sbatch did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"sbatch could not be run ({e.Message}); is Slurm's client installed and on PATH? --dry-run writes the scripts only.", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"sbatch {string.Join(' ', arguments)} failed (exit code {process.ExitCode}): {stderr.Trim()}");
            return stdout.Result.Trim().Split(';')[0];
        }
    }

    /// <summary>Splits --slurm-args like a shell would for plain words, single and double quotes.</summary>
    public static IReadOnlyList<string> SplitArguments(string? text)
    {
        var words = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) return words;
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in text)
        {
            if (quote is { } q)
            {
                if (c == q) quote = null;
                else current.Append(c);
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(current.ToString());
                current.Clear();
                inWord = false;
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }
        if (quote is not null) throw new ArgumentException($"--slurm-args has an unclosed {quote} quote: {text}");
        if (inWord) words.Add(current.ToString());
        return words;
    }
}
