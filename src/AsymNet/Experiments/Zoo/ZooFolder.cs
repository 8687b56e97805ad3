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

    private void WriteCsv(string name, string header, IEnumerable<string> rows) =>
        AtomicFile.Write(Path.Combine(Root, name), s =>
        {
            using var w = new StreamWriter(s, leaveOpen: true) { NewLine = "\n" };
            w.WriteLine(header);
            foreach (var row in rows) w.WriteLine(row);
        });
}
