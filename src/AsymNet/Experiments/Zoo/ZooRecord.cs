using System.Globalization;

namespace AsymNet.Experiments.Zoo;

/// <summary>One row of a zoo's zoo.csv as a reader sees it (docs/zoo.md; written by <see cref="ZooNetworkResult"/> and
/// tools/import_zoo.py): a trained network, its hyperparameters and its accuracies (in [0, 1]).</summary>
public sealed record ZooRecord(
    int Index,
    string Variant,
    ulong Seed,
    double Lr,
    double WeightDecay,
    double LabelSmoothing,
    int Epochs,
    double TrainLoss,
    double TrainAccuracy,
    double TestLoss,
    double TestAccuracy,
    bool Diverged,
    double Seconds)
{
    public static readonly string[] Columns =
        ["index", "variant", "seed", "lr", "weight_decay", "label_smoothing", "epochs", "train_loss", "train_accuracy", "test_loss", "test_accuracy", "diverged", "seconds"];

    /// <summary>Reads zoo.csv by column name (any column order; extra columns are ignored); errors name the file and line.</summary>
    public static List<ZooRecord> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new InvalidDataException($"{path} is empty; a zoo.csv starts with the header {ZooNetworkResult.CsvHeader}.");
        var header = lines[0].Split(',').Select(h => h.Trim()).ToList();
        var missing = Columns.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0) throw new InvalidDataException($"{path}: column(s) {string.Join(", ", missing)} missing from the header.");
        var at = Columns.ToDictionary(c => c, c => header.IndexOf(c));
        var rows = new List<ZooRecord>();
        for (var l = 1; l < lines.Length; l++)
        {
            if (string.IsNullOrWhiteSpace(lines[l])) continue;
            var cells = lines[l].Split(',');
            try
            {
                string Cell(string column) => cells[at[column]].Trim();
                double D(string column) => double.Parse(Cell(column), NumberStyles.Float, CultureInfo.InvariantCulture);
                rows.Add(new ZooRecord(
                    int.Parse(Cell("index"), CultureInfo.InvariantCulture), Cell("variant"),
                    ulong.Parse(Cell("seed"), CultureInfo.InvariantCulture), D("lr"), D("weight_decay"), D("label_smoothing"),
                    int.Parse(Cell("epochs"), CultureInfo.InvariantCulture), D("train_loss"), D("train_accuracy"), D("test_loss"), D("test_accuracy"),
                    Cell("diverged") is "true" or "True" or "1", D("seconds")));
            }
            catch (Exception x) when (x is FormatException or OverflowException or IndexOutOfRangeException)
            {
                throw new InvalidDataException($"{path}, line {l + 1}: {x.Message}", x);
            }
        }
        return rows;
    }
}
