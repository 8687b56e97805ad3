using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.Zoo;

/// <summary>
/// A zoo folder opened for reading (the layout of docs/zoo.md, <see cref="ZooFolder"/>): zoo.csv and the trained
/// networks under networks/&lt;variant&gt;/&lt;index&gt;.safetensors, as `asym zoo` and tools/import_zoo.py write them.
/// Reads the networks' weights as the metanetworks see them (<see cref="NetworkWeights"/>).
/// </summary>
public sealed class ZooReader
{
    private ZooReader(ZooFolder folder, IReadOnlyList<ZooRecord> records)
    {
        Folder = folder;
        Records = records;
    }

    public ZooFolder Folder { get; }
    public string Dir => Folder.Root;
    public IReadOnlyList<ZooRecord> Records { get; }

    /// <summary>The variants in the zoo, in order of first appearance.</summary>
    public IReadOnlyList<string> Variants => Records.Select(r => r.Variant).Distinct().ToList();

    public static ZooReader Open(string dir)
    {
        var folder = new ZooFolder(dir);
        if (!Directory.Exists(folder.Root)) throw new DirectoryNotFoundException($"Zoo folder {folder.Root} does not exist.");
        var csv = Path.Combine(folder.Root, ZooFolder.ZooCsvFile);
        if (!File.Exists(csv)) throw new FileNotFoundException($"{folder.Root} holds no {ZooFolder.ZooCsvFile}; is it a zoo folder (asym zoo, or tools/import_zoo.py)?", csv);
        var records = ZooRecord.ReadCsv(csv);
        var duplicate = records.GroupBy(r => (r.Variant, r.Index)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidDataException($"{csv} lists network {duplicate.Key.Index} of variant {duplicate.Key.Variant} twice.");
        return new ZooReader(folder, records);
    }

    public string NetworkPath(ZooRecord record) => Folder.TrainedPath(ModelFactory.ParseVariant(record.Variant), record.Index);

    /// <summary>The networks of <paramref name="variant"/> that trained without diverging, by index.</summary>
    public IReadOnlyList<ZooRecord> Usable(string variant) =>
        Records.Where(r => r.Variant == variant && !r.Diverged && double.IsFinite(r.TestAccuracy)).OrderBy(r => r.Index).ToList();

    /// <summary>A network's parameters in state-dict order, each with the entries a metanet reads.</summary>
    public NetworkWeights Load(ZooRecord record) => NetworkWeights.Read(Safetensors.Load(NetworkPath(record)), ModelFactory.ParseVariant(record.Variant));
}
