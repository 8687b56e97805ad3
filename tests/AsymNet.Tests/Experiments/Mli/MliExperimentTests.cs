using System.Globalization;
using AsymNet.Cli.Commands;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Mli;
using AsymNet.Experiments.Zoo;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;
using AsymNet.Tests.Data;
using AsymNet.Tests.Experiments.Zoo;

namespace AsymNet.Tests.Experiments.Mli;

/// <summary><c>asym mli</c> end to end at a tiny scale: files, curve endpoints, resume, and measuring an existing zoo.</summary>
public sealed class MliExperimentTests
{
    private static MliRecipe Tiny(int points = 5) =>
        new() { Zoo = ZooTests.TinyRecipe(networks: 2, variants: "standard,sigma,w"), Points = points };

    [Fact]
    public void MliRunWritesCurvesNetworksSummaryFigureAndResumes()
    {
        using var tmp = new TempDir();
        var recipe = Tiny();
        var data = ZooTests.TinyData(recipe.Zoo);
        var first = JobEngine.Run(new MliExperiment(recipe, tmp.Path, data), new JobRunOptions());
        Assert.Equal(6, first.Ran);

        var curves = File.ReadAllLines(Path.Combine(tmp.Path, MliReport.CurvesFile));
        Assert.Equal("variant,network,alpha,train_loss", curves[0]);
        Assert.Equal(6 * 5, curves.Length - 1);
        Assert.Equal(["0", "0.25", "0.5", "0.75", "1"], curves.Skip(1).Take(5).Select(l => l.Split(',')[2]));
        Assert.All(curves.Skip(1), l => Assert.True(double.IsFinite(double.Parse(l.Split(',')[3], CultureInfo.InvariantCulture))));
        var networks = File.ReadAllLines(Path.Combine(tmp.Path, MliReport.NetworksFile));
        Assert.StartsWith("variant,network,lr,weight_decay,label_smoothing,epochs,diverged,delta,monotonic,local_convexity,global_convexity,global_convexity_code_chord", networks[0]);
        Assert.Equal(["standard", "standard", "sigma", "sigma", "w", "w"], networks.Skip(1).Select(l => l.Split(',')[0]));
        var summary = File.ReadAllText(Path.Combine(tmp.Path, MliReport.SummaryFile));
        Assert.Contains("| W-Asym ResNet | 2 |", summary);
        Assert.Contains("*−.027 ± .026*", summary);
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(tmp.Path, MliReport.FigureFile)));
        Assert.True(File.Exists(Path.Combine(tmp.Path, "manifest.json")));

        // α = 1 is the trained network: its loss is the zoo's recorded train loss; α = 0 is θ₀ as saved.
        var folder = new ZooFolder(tmp.Path);
        var rows = folder.ReadZooCsv();
        foreach (var r in first.Finished)
        {
            var row = rows.Single(x => x.Index == r.Network.Index && x.Variant == r.Network.Variant);
            Assert.Equal(row.TrainLoss, r.TrainLosses[^1]);
            var init = Checkpoint.Load(folder.InitPath(r.Network.Variant, r.Network.Index));
            Assert.Equal(data.TrainLoss(init, (float)r.Network.Hyperparameters.LabelSmoothing).Loss, r.TrainLosses[0]);
            Assert.NotNull(r.Statistics);
        }

        var again = JobEngine.Run(new MliExperiment(recipe, tmp.Path, data), new JobRunOptions());
        Assert.Equal((0, 6), (again.Ran, again.Skipped));

        // The same networks measured from the folder as a zoo give the same curves.
        using var other = new TempDir();
        var fromZoo = MliCommand.FromZoo(tmp.Path, 5, null);
        Assert.Equal(2, fromZoo.Zoo.Networks);
        Assert.Equal([Variant.Standard, Variant.Sigma, Variant.W], fromZoo.Zoo.Variants);
        var measured = JobEngine.Run(new MliExperiment(fromZoo, other.Path, data), new JobRunOptions());
        Assert.Equal(first.Finished.Select(r => r.TrainLosses.ToArray()), measured.Finished.Select(r => r.TrainLosses.ToArray()));
        Assert.False(File.Exists(Path.Combine(other.Path, ZooFolder.ZooCsvFile)));
    }
}
