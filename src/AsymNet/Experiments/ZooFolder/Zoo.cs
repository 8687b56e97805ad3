using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.ZooFolder;

/// <summary>
/// A zoo folder (docs/metanet.md#zoo-folder): zoo.csv, and one safetensors file per network at
/// networks/&lt;variant&gt;-&lt;index:D5&gt;.safetensors holding the authors' ResNet8 state dict (W-Asym with "mask" and
/// "normal_mask", κF at the fixed entries of "weight"; σ-Asym with "F_mat"). Reads the networks' weights as the
/// metanetworks see them: the parameters in state-dict order, W-Asym weights reduced to their trainable entries.
/// </summary>
public sealed class Zoo
{
    public const string CsvFile = "zoo.csv";
    public const string NetworksDir = "networks";

    private Zoo(string dir, IReadOnlyList<ZooRecord> records)
    {
        Dir = dir;
        Records = records;
    }

    public string Dir { get; }
    public IReadOnlyList<ZooRecord> Records { get; }

    /// <summary>The variants in the zoo, in order of first appearance.</summary>
    public IReadOnlyList<string> Variants => Records.Select(r => r.Variant).Distinct().ToList();

    public static Zoo Open(string dir)
    {
        var full = Path.GetFullPath(dir);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"Zoo folder {full} does not exist.");
        var csv = Path.Combine(full, CsvFile);
        if (!File.Exists(csv)) throw new FileNotFoundException($"{full} holds no {CsvFile}; is it a zoo folder (asym zoo, or tools/import_zoo.py)?", csv);
        var records = ZooRecord.ReadCsv(csv);
        var duplicate = records.GroupBy(r => (r.Variant, r.Index)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidDataException($"{csv} lists network {duplicate.Key.Index} of variant {duplicate.Key.Variant} twice.");
        return new Zoo(full, records);
    }

    public static string FileName(string variant, int index) => $"{variant}-{index:D5}.safetensors";

    public string NetworkPath(ZooRecord record) => Path.Combine(Dir, NetworksDir, FileName(record.Variant, record.Index));

    /// <summary>The networks of <paramref name="variant"/> that trained without diverging, by index.</summary>
    public IReadOnlyList<ZooRecord> Usable(string variant) =>
        Records.Where(r => r.Variant == variant && !r.Diverged && double.IsFinite(r.TestAccuracy)).OrderBy(r => r.Index).ToList();

    /// <summary>A network's parameters in state-dict order, each with the entries a metanet reads (see the class summary).</summary>
    public NetworkWeights Load(ZooRecord record) => NetworkWeights.Read(Safetensors.Load(NetworkPath(record)), ModelFactory.ParseVariant(record.Variant));
}
