namespace AsymNet.Experiments.Metanet;

/// <summary>MSE, R² and Kendall τ-b of a metanet's predictions on one split.</summary>
public sealed record MetanetScores(double Mse, double R2, double Tau);

/// <summary>One epoch: the mean training loss, validation scores, and test scores when validation R² improved (the
/// authors evaluate the test split only then).</summary>
public sealed record MetanetEpoch(int Epoch, double TrainMse, MetanetScores Validation, MetanetScores? Test);

/// <summary>A network's target and prediction at the selected epoch.</summary>
public sealed record MetanetPrediction(string Split, int Index, double Target, double Prediction);

/// <summary>
/// A finished metanet job: every epoch's scores, the best-validation-R² epoch with its validation and test scores, and
/// (for seeded runs) the validation and test predictions at that epoch. A non-finite loss stops the run: it is
/// recorded as diverged and left out of the tables.
/// </summary>
public sealed record MetanetRunResult(
    MetanetJob Job,
    IReadOnlyList<MetanetEpoch> Epochs,
    int BestEpoch,
    MetanetScores? BestValidation,
    MetanetScores? Test,
    IReadOnlyList<MetanetPrediction> Predictions,
    bool Diverged,
    string? Message,
    int TrainNetworks,
    int InputSize,
    double Seconds);
