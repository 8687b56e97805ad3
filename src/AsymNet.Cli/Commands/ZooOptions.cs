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
    public Option<string> ShardOption { get; } = new("--shard") { Description = "Run only shard i of N (i/N, 0-based); shards share one folder.", DefaultValueFactory = _ => "0/1" };
    public Option<string?> DataDir { get; } = DataDirOption.Create();

    public ZooOptions(string defaultVariants)
    {
        Variants = new Option<string>("--variants") { Description = "Comma-separated: standard, w (W-Asym), sigma (σ-Asym).", DefaultValueFactory = _ => defaultVariants };
        Scale.AcceptOnlyFromAmong("quick", "paper");
    }

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Variants, Networks, Scale, Seed, Dataset, TrainSize, TestSize, Out, PlanOnly, ShardOption, DataDir })
            command.Options.Add(o);
    }

    public ZooScale ScaleOf(ParseResult parse) => parse.GetValue(Scale) == "paper" ? ZooScale.Paper : ZooScale.Quick;

    public Shard Shard(ParseResult parse) => Experiments.Jobs.Shard.Parse(parse.GetValue(ShardOption)!);

    /// <summary>The zoo recipe the options ask for (throws ArgumentException with the option named).</summary>
    public ZooRecipe Recipe(ParseResult parse, int? defaultNetworks = null) =>
        ZooRecipe.Resolve(ScaleOf(parse), parse.GetValue(Seed), parse.GetValue(Networks) ?? defaultNetworks, ZooRecipe.ParseVariants(parse.GetValue(Variants)!),
            parse.GetValue(Dataset), parse.GetValue(TrainSize), parse.GetValue(TestSize));
}
