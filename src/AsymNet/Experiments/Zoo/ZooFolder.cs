using System.Globalization;
using AsymNet.Data;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.Zoo;

/// <summary>
/// The layout of a zoo folder (docs/zoo.md): networks/&lt;variant&gt;/&lt;index&gt;.safetensors (θ_T),
/// init/&lt;variant&gt;/&lt;index&gt;.safetensors (θ₀), hparams.csv and zoo.csv. <c>asym mli</c> run folders use the
/// same layout, so an MLI run is also a zoo.
/// </summary>
public sealed class ZooFolder(string root)
{
    public const string NetworksDir = "networks";
    public const string InitDir = "init";
    public const string HyperparametersFile = "hparams.csv";
    public const string ZooCsvFile = "zoo.csv";

    public string Root { get; } = Path.GetFullPath(root);

    public string TrainedPath(Variant variant, int index) => NetworkPath(NetworksDir, variant, index);
    public string InitPath(Variant variant, int index) => NetworkPath(InitDir, variant, index);

    private string NetworkPath(string dir, Variant variant, int index) =>
        Path.Combine(Root, dir, variant.ToString().ToLowerInvariant(), index.ToString(CultureInfo.InvariantCulture) + ".safetensors");

    /// <summary>Writes hparams.csv (every row the recipe asks for) and zoo.csv (the finished networks, by index then variant).</summary>
    public void WriteTables(ZooRecipe recipe, IEnumerable<ZooNetworkResult> finished)
    {
        Directory.CreateDirectory(Root);
        WriteCsv(HyperparametersFile, ZooHyperparameters.CsvHeader,
            Enumerable.Range(0, recipe.Networks).Select(i => ZooHyperparameters.Row(recipe.Seed, i, recipe.Ranges).CsvRow()));
        WriteCsv(ZooCsvFile, ZooNetworkResult.CsvHeader, finished.OrderBy(r => r.Index).ThenBy(r => r.Variant).Select(r => r.CsvRow()));
    }

    /// <summary>The rows of zoo.csv (docs/zoo.md), checked column by column; errors name the file and line.</summary>
    public IReadOnlyList<ZooNetworkResult> ReadZooCsv()
    {
        var path = Path.Combine(Root, ZooCsvFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing: not a zoo folder (asym zoo writes it).", path);
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != ZooNetworkResult.CsvHeader)
            throw new InvalidDataException($"{path}: the header must be '{ZooNetworkResult.CsvHeader}'.");
        var ci = CultureInfo.InvariantCulture;
        var rows = new List<ZooNetworkResult>();
        for (var n = 1; n < lines.Length; n++)
        {
            if (lines[n].Length == 0) continue;
            var c = lines[n].Split(',');
            try
            {
                if (c.Length != 13) throw new FormatException($"{c.Length} columns instead of 13");
                var index = int.Parse(c[0], ci);
                var seed = ulong.Parse(c[2], ci);
                rows.Add(new ZooNetworkResult
                {
                    Index = index, Variant = ModelFactory.ParseVariant(c[1]), Seed = seed,
                    InitSeed = ZooNetworks.InitSeed(seed), DataSeed = ZooNetworks.DataSeed(seed),
                    Hyperparameters = new ZooHyperparameters(index, double.Parse(c[3], ci), double.Parse(c[4], ci), double.Parse(c[5], ci), int.Parse(c[6], ci)),
                    TrainLoss = double.Parse(c[7], ci), TrainAccuracy = double.Parse(c[8], ci),
                    TestLoss = double.Parse(c[9], ci), TestAccuracy = double.Parse(c[10], ci),
                    Diverged = c[11] switch { "0" => false, "1" => true, _ => throw new FormatException($"diverged is '{c[11]}', not 0 or 1") },
                    Seconds = double.Parse(c[12], ci),
                });
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                throw new InvalidDataException($"{path}, line {n + 1}: {e.Message}", e);
            }
        }
        return rows;
    }

    private void WriteCsv(string name, string header, IEnumerable<string> rows) =>
        AtomicFile.Write(Path.Combine(Root, name), s =>
        {
            using var w = new StreamWriter(s, leaveOpen: true) { NewLine = "\n" };
            w.WriteLine(header);
            foreach (var row in rows) w.WriteLine(row);
        });
}
