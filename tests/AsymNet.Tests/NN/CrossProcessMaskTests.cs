using System.Diagnostics;
using AsymNet.NN.Models;

namespace AsymNet.Tests.NN;

/// <summary>Two separate processes build bit-identical masks, F and FiGLU matrices from the same config (the
/// authors' hash()-seeded masks could not promise this; docs/paper.md#h15).</summary>
public class CrossProcessMaskTests
{
    [Theory]
    [InlineData("mlp", "w")]
    [InlineData("resnet8", "w")]
    [InlineData("gnn", "w")]
    [InlineData("resnet20", "sigma")]
    public void SeparateProcessesBuildIdenticalFixedState(string preset, string variant)
    {
        string[] args = ["info", "--model", preset, "--variant", variant, "--arch-seed", "12345", "--masks-hash"];
        var first = RunCli(args);
        var second = RunCli(args);
        Assert.Matches("^[0-9a-f]{64}$", first);
        Assert.Equal(first, second);
        var inProcess = ModelFactory.Create(ModelFactory.Preset(preset, variant, architectureSeed: 12345), initSeed: 99).FixedStateHash();
        Assert.Equal(inProcess, first);
        Assert.NotEqual(first, RunCli(["info", "--model", preset, "--variant", variant, "--arch-seed", "12346", "--masks-hash"]));
    }

    private static string RunCli(string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "asym.dll");
        Assert.True(File.Exists(dll), $"The CLI assembly is missing next to the tests: {dll}.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "asym did not finish within 60 s.");
        Assert.True(process.ExitCode == 0, $"asym {string.Join(' ', args)} failed: {stderr.Result}");
        return stdout.Result.Trim();
    }
}
