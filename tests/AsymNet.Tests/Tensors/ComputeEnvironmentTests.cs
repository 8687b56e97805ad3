using System.Text.Json.Nodes;
using AsymNet.Tensors;

namespace AsymNet.Tests.Tensors;

public sealed class ComputeEnvironmentTests
{
    [Fact]
    public void CapturesThisProcessAndRoundTripsThroughJson()
    {
        var env = ComputeEnvironment.Capture();
        Assert.Equal(Environment.ProcessorCount, env.Cores);
        Assert.Contains(env.VectorBits, new[] { 128, 256, 512 });
        Assert.False(string.IsNullOrEmpty(env.Blas));
        Assert.True(env.BlasThreads >= 1);
        Assert.StartsWith(".NET", env.DotNet);

        var json = env.ToJson();
        var node = JsonNode.Parse(json)!.AsObject();
        foreach (var key in new[] { "cpuModel", "cores", "vectorBits", "blas", "blasThreads", "blasCoreName", "openBlasCoreType", "threading", "dotNet", "gitCommit" })
            Assert.True(node.ContainsKey(key), $"{key} missing in {json}");
        Assert.Equal(env.Threading.Mode.ToString(), node["threading"]!["mode"]!.GetValue<string>());

        var back = ComputeEnvironment.FromJson(json);
        Assert.Equal(json, back.ToJson());
    }

    /// <summary>Every manifest records the kernel paths in force (issue 16: results across machines).</summary>
    [Fact]
    public void RecordsTheKernelPathsInForce()
    {
        var env = ComputeEnvironment.Capture();
        Assert.Equal(KernelPaths.Current.ToString(), env.Kernels);
        Assert.Equal(env.VectorBits == 512 && KernelPaths.Current == KernelPaths.Widest ? "512,direct" : env.Kernels, env.Kernels);
        Assert.Equal(env.Kernels, JsonNode.Parse(env.ToJson())!["kernels"]!.GetValue<string>());
        // Manifests written before kernels were recorded still load.
        var old = JsonNode.Parse(env.ToJson())!.AsObject();
        old.Remove("kernels");
        Assert.Null(ComputeEnvironment.FromJson(old.ToJsonString()).Kernels);
    }

    [Fact]
    public void GitCommitFollowsAWorktreeFileToTheCommonRefs()
    {
        var root = Path.Combine(Path.GetTempPath(), $"asym-git-{Guid.NewGuid():N}");
        try
        {
            const string hash = "0123456789abcdef0123456789abcdef01234567";
            var common = Path.Combine(root, "main", ".git");
            var wtGit = Path.Combine(common, "worktrees", "wt");
            Directory.CreateDirectory(wtGit);
            File.WriteAllText(Path.Combine(wtGit, "HEAD"), "ref: refs/heads/wt\n");
            File.WriteAllText(Path.Combine(wtGit, "commondir"), "../..\n");
            File.WriteAllText(Path.Combine(common, "packed-refs"), $"# pack-refs\n{hash} refs/heads/wt\n");
            var checkout = Path.Combine(root, "wt", "src");
            Directory.CreateDirectory(checkout);
            File.WriteAllText(Path.Combine(root, "wt", ".git"), $"gitdir: {wtGit}\n");
            Assert.Equal(hash, GitCommit.Find(checkout));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
