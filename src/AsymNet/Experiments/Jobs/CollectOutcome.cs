namespace AsymNet.Experiments.Jobs;

/// <summary>What <c>asym collect</c> reports of a run folder: how many jobs are finished, which are missing, and the
/// error of those that failed. <see cref="Headline"/> is the experiment's one-paragraph summary of its tables.</summary>
public sealed record CollectOutcome(
    string Experiment,
    string RunDir,
    int Finished,
    IReadOnlyList<string> Missing,
    IReadOnlyList<(string Job, string Error)> Failed,
    string Headline)
{
    public bool Complete => Missing.Count == 0;
}
