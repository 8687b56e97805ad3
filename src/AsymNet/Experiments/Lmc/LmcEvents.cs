using AsymNet.NN.Models;
using AsymNet.Symmetry.Interpolation;

namespace AsymNet.Experiments.Lmc;

/// <summary>One job of a run: train a pair of networks of one kind and compute its curves.</summary>
public sealed record LmcJob(int Pair, Variant Family, IReadOnlyList<LmcVariant> Curves)
{
    public string Name => $"pair {Pair} {Family.ToString().ToLowerInvariant()}";
}

/// <summary>What a run will do: jobs still to run, jobs already finished in the folder, and an estimate.</summary>
public sealed record LmcPlan(LmcRecipe Recipe, string RunDir, string Task, IReadOnlyList<LmcJob> Pending, IReadOnlyList<LmcJob> Finished,
    double? EstimatedSeconds, int StepsPerNetwork);

/// <summary>Progress of a run, for the command line.</summary>
public abstract record LmcEvent;

public sealed record LmcJobStarted(LmcJob Job, int Index, int Total) : LmcEvent;

public sealed record LmcNetworkEpoch(LmcJob Job, int Network, LmcEpochProgress Progress) : LmcEvent;

public sealed record LmcNetworkTrained(LmcJob Job, int Network, LmcNetworkResult Result) : LmcEvent;

public sealed record LmcCurveStarted(LmcJob Job, LmcVariant Variant, int Points) : LmcEvent;

public sealed record LmcCurvePoint(LmcJob Job, LmcVariant Variant, LmcPoint Point) : LmcEvent;

public sealed record LmcJobFinished(LmcJob Job, LmcPairResult Result) : LmcEvent;

/// <summary>A job threw: its error is recorded in pairs/ and the other jobs go on; a rerun retries it.</summary>
public sealed record LmcJobFailed(LmcJob Job, string Error) : LmcEvent;

/// <summary>The outcome of a run: the folder's summaries over every finished pair (earlier runs' included).</summary>
public sealed record LmcRunResult(LmcRecipe Recipe, string RunDir, IReadOnlyList<LmcVariantSummary> Summaries,
    IReadOnlyList<LmcPairResult> Pairs, int Skipped, int Ran, TimeSpan Wall)
{
    /// <summary>Jobs without a result in the folder (other shards', or failed ones).</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>Jobs of this run that threw, with their error.</summary>
    public IReadOnlyList<(string Job, string Error)> Failed { get; init; } = [];
}
