using System.Diagnostics;
using System.Globalization;
using AsymNet.Experiments.Jobs;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>
/// Progress of any job-engine run: on a terminal, a bar over this run's jobs with elapsed and remaining time and the
/// latest progress line of a running job; otherwise (a pipe, a log file) one plain line per finished or failed job
/// with the count and an estimate of the time left. Experiments pass only how to word their own progress payloads.
/// </summary>
public static class JobProgressView
{
    /// <summary>Runs <paramref name="run"/> (which forwards engine events to the given listener) while showing progress
    /// of <paramref name="pending"/> jobs. <paramref name="describe"/> words a job's own progress payload (null: none).</summary>
    public static T Run<T>(int pending, Func<Action<JobEvent>, T> run, Func<JobProgress, string?>? describe = null)
    {
        var clock = Stopwatch.StartNew();
        var done = 0;
        if (!Terminal.Interactive)
            return run(e =>
            {
                if (e is not (JobFinished or JobFailed)) return;
                done++;
                var left = clock.Elapsed.TotalSeconds / done * (pending - done);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{done}/{pending}] {Line(e)} (about {Duration(left)} left)"));
            });
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var all = ctx.AddTask("jobs", maxValue: Math.Max(1, pending));
                result = run(e =>
                {
                    switch (e)
                    {
                        case JobStarted s:
                            all.Description = Markup.Escape($"jobs: {s.Name}");
                            break;
                        case JobProgress p when describe?.Invoke(p) is { } text:
                            all.Description = Markup.Escape($"{p.Name}: {text}");
                            break;
                        case JobFinished or JobFailed:
                            all.Increment(1);
                            AnsiConsole.MarkupLine(e is JobFailed ? $"[red]{Markup.Escape(Line(e))}[/]" : Markup.Escape(Line(e)));
                            break;
                    }
                });
            });
        return result;
    }

    private static string Line(JobEvent e) => e switch
    {
        JobFinished f => $"{f.Name}: {f.Description}",
        JobFailed f => $"{f.Name}: failed ({f.Error}); recorded, the other jobs go on",
        _ => e.Name,
    };

    /// <summary>"42 s", "3.5 min", "2.1 h".</summary>
    public static string Duration(double seconds) => seconds switch
    {
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0.#} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0.#} h"),
    };
}
