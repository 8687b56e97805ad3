using System.CommandLine;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Zoo;

namespace AsymNet.Cli.Commands;

/// <summary>The options of the commands that train zoo networks (<c>asym zoo</c>, <c>asym mli</c>) and the recipe they resolve to.</summary>
public sealed class ZooOptions
{
    public Option<string> Variants { get; }
    public Option<int?> Networks { get; } = new("--networks") { Description = "Networks per variant: rows 0..N−1 of the shared hyperparameter table (default: the scale's)." };
    public Option<string> Scale { get; } = new("--scale") { Description = "quick (embedded Fashion-MNIST, a documented reduction) or paper (CIFAR-10, the paper's recipe and sizes).", DefaultValueFactory = _ => "quick" };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Zoo seed: the hyperparameter table, architecture, init and data-order seeds derive from it.", DefaultValueFactory = _ => 0UL };
    public Option<string?> Dataset { get; } = new("--dataset") { Description = "Image dataset (default: fashion-mnist at quick scale, cifar10 at paper scale)." };
    public Option<int?> TrainSize { get; } = new("--train-size") { Description = "Training images (a fixed random subset shared by every network)." };
    public Option<int?> TestSize { get; } = new("--test-size") { Description = "Test images evaluated (a fixed random subset)." };
    public Option<string?> Out { get; } = new("--out") { Description = "Run folder; a rerun of a folder skips its finished networks." };
    public Option<bool> PlanOnly { get; } = new("--plan") { Description = "Print the plan (networks, estimated time from measured steps) and stop." };
    public Option<bool> PlanJson { get; } = PaperSteps.PlanJsonOption();
    public JobCliOptions Jobs { get; } = new();
    public Option<string?> DataDir { get; } = DataDirOption.Create();

    public ZooOptions(string defaultVariants)
    {
        Variants = new Option<string>("--variants") { Description = "Comma-separated: standard, w (W-Asym), sigma (σ-Asym).", DefaultValueFactory = _ => defaultVariants };
        Scale.AcceptOnlyFromAmong("quick", "paper");
    }

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Variants, Networks, Scale, Seed, Dataset, TrainSize, TestSize, Out, PlanOnly, PlanJson, DataDir })
            command.Options.Add(o);
        Jobs.AddTo(command);
    }

    public ZooScale ScaleOf(ParseResult parse) => parse.GetValue(Scale) == "paper" ? ZooScale.Paper : ZooScale.Quick;

    /// <summary>The shard to run; throws ArgumentException on a malformed or contradictory job option.</summary>
    public Shard Shard(ParseResult parse) =>
        Jobs.Validate(parse) is { } usage ? throw new ArgumentException(usage) : Jobs.GetShard(parse);

    /// <summary>--slurm: prepares the folder (recipe.json) and submits the experiment's job list as a Slurm array.</summary>
    public int SubmitToSlurm<TJob, TResult>(ParseResult parse, JobExperiment<TJob, TResult> experiment) where TJob : notnull where TResult : class
    {
        try
        {
            var run = JobEngine.PrepareFolder(experiment, TrainRunner.CommandLine(parse), Experiments.Jobs.Shard.All);
            var code = Jobs.Submit(parse, experiment.Name, experiment.RunDir, experiment.Jobs().Count);
            run.Complete(code == 0 ? "submitted" : "failed", null);
            return code;
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException)
        {
            Console.Error.WriteLine($"asym: {e.Message}");
            return 1;
        }
    }

    /// <summary>The zoo recipe the options ask for (throws ArgumentException with the option named).</summary>
    public ZooRecipe Recipe(ParseResult parse, int? defaultNetworks = null) =>
        ZooRecipe.Resolve(ScaleOf(parse), parse.GetValue(Seed), parse.GetValue(Networks) ?? defaultNetworks, ZooRecipe.ParseVariants(parse.GetValue(Variants)!),
            parse.GetValue(Dataset), parse.GetValue(TrainSize), parse.GetValue(TestSize));
}
