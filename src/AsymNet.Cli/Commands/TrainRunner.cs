using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AsymNet.Data;
using AsymNet.Experiments.Training;
using AsymNet.NN.Training;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>Runs a <see cref="TrainExperiment"/> for `asym train` and `asym demo`: progress bars, per-epoch lines, Ctrl+C, --json.</summary>
public static class TrainRunner
{
    /// <summary>Returns the outcome, or null after printing why the run could not start or failed.</summary>
    public static TrainOutcome? Run(TrainConfig config, string outDir, bool overwrite, bool json, string commandLine, bool resume = false)
    {
        using var cancel = new CtrlC();
        try
        {
            if (json) return TrainExperiment.Run(config, outDir, commandLine, overwrite, cancel: cancel.Token, resume: resume);
            // Spectre wraps at 80 columns when the output is a file or pipe; epoch lines are longer.
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
            AnsiConsole.MarkupLine(Markup.Escape($"Training {config.Model} ({config.Variant}) on {config.Dataset}: {config.Epochs} epoch(s), " +
                $"{config.Optimizer} lr {G(config.LearningRate)}, batch {config.BatchSize}, schedule {config.Schedule}, seed {config.Seed} → {outDir}"));
            TrainOutcome? outcome = null;
            AnsiConsole.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var progress = new SpectreTrainingProgress(ctx);
                    outcome = TrainExperiment.Run(config, outDir, commandLine, overwrite, progress, m =>
                        AnsiConsole.MarkupLine(Markup.Escape(EpochLine(m, config.Epochs))), cancel.Token, resume);
                });
            Report(outcome!);
            return outcome;
        }
        catch (Exception e) when (e is DatasetNotFoundException or DataFormatException or ArgumentException or IOException or InvalidDataException
                                       or InvalidOperationException)
        {
            if (json) Console.WriteLine(JsonSerializer.Serialize(new { status = "error", message = e.Message }));
            else AnsiConsole.MarkupLine($"[red]Training failed:[/] {Markup.Escape(e.Message)}");
            return null;
        }
    }

    /// <summary>Exit code for an outcome: 0 completed, 1 otherwise (diverged, cancelled, failed).</summary>
    public static int ExitCode(TrainOutcome? outcome) => outcome?.Result.Status switch
    {
        TrainStatus.Completed => 0,
        TrainStatus.Cancelled => 130,
        _ => 1,
    };

    public static string EpochLine(EpochMetrics m, int epochs) =>
        $"epoch {m.Epoch}/{epochs}: train loss {m.TrainLoss:F4} acc {m.TrainAccuracy:P2} | test loss {m.TestLoss:F4} acc {m.TestAccuracy:P2} | " +
        $"lr {G(m.LearningRate)} | {m.SamplesPerSecond:N0} samples/s, {m.TrainSeconds:F1} s + eval {m.EvalSeconds:F1} s";

    private static void Report(TrainOutcome outcome)
    {
        var r = outcome.Result;
        switch (r.Status)
        {
            case TrainStatus.Completed:
                AnsiConsole.MarkupLine($"[green]Done[/] in {r.WallSeconds:F1} s: test accuracy [bold]{r.Last!.TestAccuracy:P2}[/], test loss {r.Last.TestLoss:F4}, " +
                                       $"{r.SamplesPerSecond:N0} training samples/s.");
                break;
            case TrainStatus.Diverged:
                AnsiConsole.MarkupLine($"[yellow]Diverged:[/] {Markup.Escape(r.Message ?? "")}. No checkpoint was written.");
                break;
            default:
                AnsiConsole.MarkupLine($"[yellow]Cancelled[/] after {r.Epochs.Count} complete epoch(s).");
                break;
        }
        AnsiConsole.MarkupLine($"Run folder: {Markup.Escape(outcome.RunFolder)}");
    }

    public static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>The command line as typed (for the manifest).</summary>
    public static string CommandLine(ParseResult parse) =>
        "asym " + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ') ? $"\"{t.Value}\"" : t.Value));

    /// <summary>One progress task per epoch's training and evaluation.</summary>
    private sealed class SpectreTrainingProgress(ProgressContext ctx) : IProgress<TrainingProgress>
    {
        private ProgressTask? _task;
        private (TrainingPhase, int) _key = (TrainingPhase.Train, -1);

        public void Report(TrainingProgress p)
        {
            if (_key != (p.Phase, p.Epoch))
            {
                _task?.StopTask();
                var what = p.Phase == TrainingPhase.Train ? "train" : "test ";
                _task = ctx.AddTask($"epoch {p.Epoch + 1}/{p.Epochs} {what}", maxValue: p.Steps);
                _key = (p.Phase, p.Epoch);
            }
            _task!.Value = p.Step;
            if (p.Step == p.Steps || p.Step % 20 == 0)
                _task.Description = $"epoch {p.Epoch + 1}/{p.Epochs} {(p.Phase == TrainingPhase.Train ? "train" : "test ")} loss {p.RunningLoss:F3} acc {p.RunningAccuracy:P1}";
        }
    }
}
