using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsymNet.Data;
using AsymNet.Experiments.Jobs;

namespace AsymNet.Experiments.Lmc.Tuning;

/// <summary>
/// The search of <c>asym lmc --tune</c> as a job list on <see cref="JobEngine"/>: one job per kind of network, grid
/// cell and search pair, each an ordinary LMC pair job (<see cref="LmcExperiment.RunJob"/>) whose networks train with
/// the cell's values on the training images and whose curves are measured on the validation split. Job files go to
/// search/; the tables (tune.csv, tune.json, summary.md) to the run folder. The data is needed to run jobs, not to
/// collect them.
/// </summary>
public sealed class LmcTuneExperiment(LmcTuneRecipe recipe, string runDir, (ImageDataset Train, ImageDataset Test)? data = null)
    : JobExperiment<LmcTuneTrial, LmcTuneTrialResult>(runDir)
{
    public const string ExperimentName = "lmc-tune";
    public const string SearchDir = "search";

    /// <summary>The test run's folder inside the run folder: an ordinary LMC run folder.</summary>
    public const string TestDir = "test";

    public LmcTuneRecipe Recipe { get; } = recipe;

    public override string Name => ExperimentName;
    public override string RecipeJson => Recipe.IdentityJson();
    public override JsonNode? ManifestConfig => JsonSerializer.SerializeToNode(Recipe, LmcJson.Options);
    public override IReadOnlyDictionary<string, ulong> Seeds => new Dictionary<string, ulong> { ["seed"] = Recipe.Base.Seed, ["search"] = Recipe.SearchSeed };
    public override string JobsDir => SearchDir;
    public override JsonSerializerOptions Json => LmcJson.Options;

    public string TestRunDir => Path.Combine(RunDir, TestDir);

    /// <summary>Kind of network, then grid cell, then pair.</summary>
    public override IReadOnlyList<LmcTuneTrial> Jobs() =>
        [.. Recipe.Families.SelectMany(f => Recipe.Grid.Cells(f).SelectMany(cell => Enumerable.Range(0, Recipe.SearchPairs).Select(p => new LmcTuneTrial(cell, p, Curves(f)))))];

    /// <summary>The kind's own variant (what the choice minimises) and any other requested variant of that kind (re-basin).</summary>
    private IReadOnlyList<LmcVariant> Curves(NN.Models.Variant family) =>
        [.. LmcVariants.All.Where(v => v == LmcTuneRecipe.Primary(family) || (v.Family() == family && Recipe.Base.Variants.Contains(v)))];

    public override string JobId(LmcTuneTrial job) => job.Id;
    public override string JobName(LmcTuneTrial job) => job.Name;

    public override bool Covers(LmcTuneTrial job, LmcTuneTrialResult result) =>
        result.Values == job.Values && result.Pair == job.Pair && (result.Diverged || job.Curves.All(v => result.Barrier(v) is not null));

    public override bool Diverged(LmcTuneTrialResult result) => result.Diverged;

    public override string Describe(LmcTuneTrialResult r) =>
        r.Diverged ? "diverged, recorded" : "validation " + LmcExperiment.DescribePair(r.Result) +
                                           string.Create(CultureInfo.InvariantCulture, $", accuracy {100 * r.Accuracy:0.00}%");

    /// <summary>The LMC recipe a trial's networks train with: the base with the cell's values, evaluated on validation.</summary>
    public LmcRecipe TrialRecipe(LmcHyperparameters values) =>
        Recipe.Base with { Epochs = values.Epochs, LearningRate = values.LearningRate, WeightDecay = values.WeightDecay, SaveCheckpoints = false };

    public override LmcTuneTrialResult RunJob(LmcTuneTrial job, JobContext context)
    {
        var trial = TrialRecipe(job.Values);
        using var task = new ImageLmcTask(trial, data ?? throw new InvalidOperationException("LmcTuneExperiment needs the data to run jobs."), validation: true);
        // The task keeps the base seed (the same training subset as the test run); the pair's seeds come from the search seed.
        var pair = new LmcExperiment(trial with { Seed = Recipe.SearchSeed }, RunDir, task)
            .RunJob(new LmcJob(job.Pair, job.Values.Family, job.Curves), context);
        return new LmcTuneTrialResult { Values = job.Values, Pair = job.Pair, Result = pair };
    }

    public override JsonNode? WriteTables(IReadOnlyList<LmcTuneTrialResult> finished, string? timing) =>
        LmcTuneReport.Write(this, finished, timing);

    /// <summary>The test run's recipe once every kind has a choice, else null.</summary>
    public LmcRecipe? FinalRecipe(IReadOnlyList<LmcTuneTrialResult> finished) =>
        LmcTuneSelection.ChooseAll(Recipe, finished) is { } choices ? Recipe.Final([.. choices.Select(c => c.Chosen.Values)]) : null;
}
