using System.Text.Json.Nodes;
using AsymNet.Cli;
using AsymNet.Experiments.Bench;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Cli;

[Collection(ConsoleCaptureCollection.Name)]
public sealed class BenchCliTests
{
    private static (int Code, string Out) Run(params string[] args)
    {
        var before = Console.Out;
        var capture = new StringWriter();
        Console.SetOut(capture);
        try
        {
            return (Program.Main(args), capture.ToString());
        }
        finally
        {
            Console.SetOut(before);
        }
    }

    [Fact]
    public void BenchJsonWithoutTorchParsesAndHasTheWorkload()
    {
        var csv = Path.Combine(Path.GetTempPath(), $"asym-bench-{Guid.NewGuid():N}.csv");
        try
        {
            var (code, output) = Run("bench", "--no-torch", "--only", "sgemm-64x512x512", "--reps", "1", "--json", "--min-seconds", "0.05", "--csv", csv);
            Assert.Equal(0, code);
            var report = BenchReport.FromJson(output);
            var row = Assert.Single(report.Rows);
            Assert.Equal("sgemm-64x512x512", row.Workload);
            Assert.True(row.AsymMedian > 0);
            Assert.Null(row.TorchMedian);
            Assert.Contains("--no-torch", row.Note);
            Assert.Equal(Environment.ProcessorCount, report.Environment.Cores);
            Assert.Equal("sgemm-64x512x512", JsonNode.Parse(output)!["rows"]![0]!["workload"]!.GetValue<string>());
            var lines = File.ReadAllLines(csv);
            Assert.Equal("workload,side,rep,setting,value,unit,accuracy,peak_rss_mb,base_rss_mb,detail", lines[0]);
            Assert.True(row.AsymPeakMemoryMb > 0);
            Assert.True(row.AsymAddedMemoryMb >= 0);
            Assert.StartsWith("sgemm-64x512x512,asymnet,1,", lines[1]);
            Assert.Contains("| sgemm-64x512x512 | GFLOP/s |", report.ToMarkdown());
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact]
    public void ConvWorkloadRunsAsymNetsSide()
    {
        var (code, output) = Run("bench", "--no-torch", "--only", "conv3x3-16to32-32px-s2-b128", "--reps", "1", "--json", "--min-seconds", "0.01");
        Assert.Equal(0, code);
        var row = Assert.Single(BenchReport.FromJson(output).Rows);
        Assert.Equal("GFLOP/s", row.Unit);
        Assert.True(row.AsymMedian > 0);
    }

    [Fact]
    public void UnknownWorkloadsAndBadThreadsAreRefused()
    {
        Assert.Equal(2, Run("bench", "--no-torch", "--only", "nope").Code);
        Assert.Equal(2, Run("env", "--threads", "lots").Code);
        var (code, output) = Run("env", "--json", "--threads", "runs");
        Assert.Equal(0, code);
        Assert.Equal("runs:" + Environment.ProcessorCount, JsonNode.Parse(output)!["threading"]!["text"]!.GetValue<string>());
        Assert.Equal(0, Run("env", "--threads", "auto").Code);
    }
}
