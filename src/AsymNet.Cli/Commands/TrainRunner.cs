using System.CommandLine;
using System.Globalization;
using AsymNet.Experiments.Training;
using AsymNet.NN.Training;
using Spectre.Console;

namespace AsymNet.Cli.Commands;

/// <summary>Runs a <see cref="TrainExperiment"/> for `asym train` and `asym demo`: progress bars, per-epoch lines, Ctrl+C, --json.</summary>
public static class TrainRunner
{
    /// <summary>
    /// Trains into <paramref name="outDir"/> (continuing the run there with <paramref name="resume"/>) with live progress
    /// bars on a terminal, plain epoch lines otherwise, nothing but warnings with --json; throws what
    /// <see cref="CommandErrors"/> reports.
    /// </summary>
    public static TrainOutcome Run(string command, TrainConfig config, string outDir, bool overwrite, bool json, string commandLine, bool resume = false)
    {
        using var cancel = new CtrlC();
        TrainOutcome outcome;
        if (json)
            outcome = TrainExperiment.Run(config, outDir, commandLine, overwrite, cancel: cancel.Token, resume: resume);
        else
        {
            AnsiConsole.MarkupLine(Markup.Escape($"Training {config.Model} ({config.Variant}) on {config.Dataset}: {config.Epochs} epoch(s), " +
                $"{config.Optimizer} lr {G(config.LearningRate)}, batch {config.BatchSize}, schedule {config.Schedule}, seed {config.Seed} → {outDir}"));
            outcome = Terminal.Interactive ? WithProgressBars(config, outDir, overwrite, commandLine, resume, cancel.Token)
                : TrainExperiment.Run(config, outDir, commandLine, overwrite, onEpoch: m => AnsiConsole.WriteLine(EpochLine(m, config.Epochs)), cancel: cancel.Token, resume: resume);
            Report(outcome);
        }
        foreach (var warning in outcome.Warnings) Terminal.Warning(command, warning);
        return outcome;
    }

    private static TrainOutcome WithProgressBars(TrainConfig config, string outDir, bool overwrite, string commandLine, bool resume, CancellationToken cancel)
    {
        TrainOutcome? outcome = null;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx => outcome = TrainExperiment.Run(config, outDir, commandLine, overwrite, new SpectreTrainingProgress(ctx),
                m => AnsiConsole.MarkupLine(Markup.Escape(EpochLine(m, config.Epochs))), cancel, resume));
        return outcome!;
    }

    /// <summary>Exit code for an outcome: 0 completed, 130 cancelled, 1 diverged.</summary>
    public static int ExitCode(TrainOutcome outcome) => outcome.Result.Status switch
    {
        TrainStatus.Completed => ExitCodes.Success,
        TrainStatus.Cancelled => ExitCodes.Interrupted,
        _ => ExitCodes.Failure,
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
                AnsiConsole.MarkupLine($"[green]Done[/] in {r.WallSeconds:F1} s: test accuracy [bold]{r.Last?.TestAccuracy:P2}[/], test loss {r.Last?.TestLoss:F4}, " +
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
