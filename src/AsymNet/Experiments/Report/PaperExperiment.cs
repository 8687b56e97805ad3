namespace AsymNet.Experiments.Report;

/// <summary>One of the paper's experiments as the report lists it: the manifest name of its runs, its heading, and
/// the tables and figures of the paper it reproduces (so the report can say which are missing).</summary>
public sealed record PaperExperiment(string Experiment, string Title, string PaperItems, string Command);
