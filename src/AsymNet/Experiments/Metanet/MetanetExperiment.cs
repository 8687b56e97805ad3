using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Zoo;
using AsymNet.NN.Models;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Metanet;

/// <summary>
/// The paper's metanetwork experiment (Table 3) on <see cref="JobEngine"/>. Jobs are the learning-rate trials (one run
/// per metanet, zoo variant and rate) and the seeded runs; a pair's seeded runs join the job list once all its trials
/// are finished, at the rate with the best validation R². A run of `asym metanet` therefore goes through the engine
/// twice (trials, then runs); shards run the trials first and the runs on a second submission.
/// </summary>
public sealed class MetanetExperiment(MetanetRecipe recipe, string runDir) : JobExperiment<MetanetJob, MetanetRunResult>(runDir)
{
    public const string ExperimentName = "metanet";

    private readonly Dictionary<(string Variant, bool Statistics), MetanetData> _data = [];
    private ZooReader? _zoo;

    public MetanetRecipe Recipe { get; } = recipe;

    public override string Name => ExperimentName;
    public override string RecipeJson => Recipe.IdentityJson();
    public override IReadOnlyDictionary<string, ulong> Seeds => new Dictionary<string, ulong> { ["seed"] = Recipe.Seed };

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonFormat.Options) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public override JsonSerializerOptions Json => JsonOptions;

    public override IReadOnlyList<MetanetJob> Jobs()
    {
        var jobs = new List<MetanetJob>();
        var pairs = Recipe.Metanets.SelectMany(m => Recipe.Variants.Select(v => (Metanet: m, Variant: v))).ToList();
        if (Recipe.SelectsLearningRate)
            jobs.AddRange(Recipe.LearningRates.SelectMany(lr => pairs.Select(p => new MetanetJob(p.Metanet, p.Variant, lr, 0, true))));
        for (var run = 0; run < Recipe.Runs; run++)
            foreach (var (metanet, variant) in pairs)
                if (ChosenLearningRate(metanet, variant) is { } lr)
                    jobs.Add(new MetanetJob(metanet, variant, lr, run, false));
        return jobs;
    }

    /// <summary>The rate of a pair's seeded runs: the grid's only rate, or the trial with the best validation R² once
    /// every trial is finished (diverged ones never win); null while trials are missing.</summary>
    public double? ChosenLearningRate(MetanetKind metanet, string variant)
    {
        if (!Recipe.SelectsLearningRate) return Recipe.LearningRates[0];
        var trials = Recipe.LearningRates.Select(lr => JobStore.TryRead(this, new MetanetJob(metanet, variant, lr, 0, true))).ToList();
        if (trials.Any(t => t is null)) return null;
        var usable = trials.Where(t => !t!.Diverged && t.BestValidation is not null && !double.IsNaN(t.BestValidation.R2)).ToList();
        return usable.Count == 0 ? Recipe.LearningRates[0] : usable.MaxBy(t => t!.BestValidation!.R2)!.Job.Lr;
    }

    /// <summary>Runs the engine until no job becomes runnable: the trials, then the seeded runs they unlock. Returns
    /// the last pass (its Finished and Missing describe the whole folder) and the jobs run in all passes.</summary>
    public (JobRunResult<MetanetRunResult> Last, int Ran) RunAll(JobRunOptions options)
    {
        var ran = 0;
        while (true)
        {
            var before = Jobs().Count;
            var result = JobEngine.Run(this, options);
            ran += result.Ran;
            if (Jobs().Count == before || result.Failed.Count > 0) return (result, ran);
        }
    }

    /// <summary>`asym collect`: the tables of a folder whose shards are done, from its manifest's recipe.</summary>
    public static CollectOutcome CollectFolder(string runDir, JsonNode config, string commandLine)
    {
        var recipe = config.Deserialize<MetanetRecipe>(MetanetRecipe.Json) ?? throw new InvalidDataException($"{runDir}: the manifest's config is not a metanet recipe.");
        var r = JobEngine.Collect(new MetanetExperiment(recipe, runDir), commandLine);
        var headline = string.Join("; ", MetanetReport.Summarize(recipe, r.Finished).Where(s => s.Runs > 0)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Metanet} on {s.Variant}: test R² {s.R2Mean:0.000}, τ {s.TauMean:0.000} ({s.Runs} runs)")));
        return new CollectOutcome(ExperimentName, r.RunDir, r.Finished.Count, r.Missing, r.Failed, headline);
    }

    public override string JobId(MetanetJob job) => job.Id;
    public override string JobName(MetanetJob job) => job.Name;
    public override bool Covers(MetanetJob job, MetanetRunResult result) => result.Job == job;
    public override bool Diverged(MetanetRunResult result) => result.Diverged;

    public override string Describe(MetanetRunResult r) =>
        r.Diverged ? $"diverged ({r.Message}), recorded"
            : string.Create(CultureInfo.InvariantCulture, $"best epoch {r.BestEpoch}: val R² {r.BestValidation?.R2:0.000}, test R² {r.Test?.R2:0.000} τ {r.Test?.Tau:0.000} ({r.Seconds:0} s)");

    public override MetanetRunResult RunJob(MetanetJob job, JobContext context) =>
        MetanetTraining.Run(Recipe, job, Data(job.Variant, job.Metanet == MetanetKind.StatNN), context.Cancel, e => context.Report(e));

    public override JsonNode? WriteTables(IReadOnlyList<MetanetRunResult> finished, string? timing) =>
        JsonSerializer.SerializeToNode(MetanetReport.Write(RunDir, Recipe, finished, timing), JsonOptions);

    /// <summary>The zoo variant as weights or statistics, loaded once per process and shared by its jobs.</summary>
    private MetanetData Data(string variant, bool statistics)
    {
        lock (_data)
        {
            _zoo ??= ZooReader.Open(Recipe.Zoo);
            if (!_data.TryGetValue((variant, statistics), out var data))
                _data[(variant, statistics)] = data = MetanetData.Load(_zoo, variant, statistics, MetanetData.SplitOf(_zoo, Recipe));
            return data;
        }
    }
}
