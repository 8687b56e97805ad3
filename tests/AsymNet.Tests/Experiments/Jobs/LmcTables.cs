using AsymNet.Experiments.Lmc;

namespace AsymNet.Tests.Experiments.Jobs;

/// <summary>Two LMC run folders hold the same tables, byte for byte.</summary>
public static class LmcTables
{
    public static void AssertSame(string expected, string actual)
    {
        foreach (var f in new[] { LmcReport.ResultsFile, LmcReport.BarriersFile })
            Assert.Equal(File.ReadAllText(Path.Combine(expected, f)), File.ReadAllText(Path.Combine(actual, f)));
    }
}
