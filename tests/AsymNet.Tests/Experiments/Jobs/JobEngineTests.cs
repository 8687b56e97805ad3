using System.Text.Json.Nodes;
using AsymNet.Experiments.Jobs;
using AsymNet.Tests.Data;

namespace AsymNet.Tests.Experiments.Jobs;

/// <summary>The engine's contract on a toy experiment: resume, per-job errors, divergence, recipe checks, shards, collect.</summary>
public sealed class JobEngineTests
{
    public sealed record Toy(int Index);

    public sealed record ToyResult(int Index, double Value, bool Diverged);

    /// <summary>Job i's value is i²; jobs listed in <paramref name="failing"/> throw, in <paramref name="diverging"/> diverge.</summary>
    private sealed class ToyExperiment(string dir, int jobs, string recipe = "{\"a\":1}", int[]? failing = null, int[]? diverging = null)
        : JobExperiment<Toy, ToyResult>(dir)
    {
        public int Ran;
        public List<IReadOnlyList<ToyResult>> Tables { get; } = [];
        public override string Name => "toy";
        public override string RecipeJson => recipe;
        public override IReadOnlyDictionary<string, ulong> Seeds => new Dictionary<string, ulong> { ["seed"] = 7 };
        public override IReadOnlyList<Toy> Jobs() => [.. Enumerable.Range(0, jobs).Select(i => new Toy(i))];
        public override string JobId(Toy job) => $"toy-{job.Index:D3}";
        public override bool Diverged(ToyResult result) => result.Diverged;

        public override ToyResult RunJob(Toy job, JobContext context)
        {
            Interlocked.Increment(ref Ran);
            context.Report(job.Index);
            if (failing?.Contains(job.Index) == true) throw new InvalidOperationException($"job {job.Index} broke");
            return new ToyResult(job.Index, job.Index * (double)job.Index, diverging?.Contains(job.Index) == true);
        }

        public override JsonNode? WriteTables(IReadOnlyList<ToyResult> finished, string? timing)
        {
            lock (Tables) Tables.Add(finished);
            File.WriteAllText(Path.Combine(RunDir, "table.txt"), string.Join(",", finished.Select(r => r.Value)));
            return new JsonObject { ["count"] = finished.Count };
        }
    }

    [Fact]
    public void RunsEveryJobOnceWritesTablesInJobOrderAndResumes()
    {
        using var tmp = new TempDir();
        var toy = new ToyExperiment(tmp.Path, 5);
        var events = new List<JobEvent>();
        var r = JobEngine.Run(toy, new JobRunOptions { Parallel = 2, OnEvent = events.Add });
        Assert.Equal((5, 0, 5), (r.Ran, r.Skipped, toy.Ran));
        Assert.Equal([0.0, 1, 4, 9, 16], r.Finished.Select(f => f.Value));
        Assert.Equal("0,1,4,9,16", File.ReadAllText(tmp["table.txt"]));
        Assert.Equal(5, events.OfType<JobFinished>().Count());
        Assert.Equal(5, events.OfType<JobProgress>().Count());
        Assert.Equal(5, Directory.GetFiles(tmp["jobs"], "*.json").Length);
        Assert.Equal("completed", AsymNet.Experiments.Runs.RunFolder.ReadManifest(tmp.Path).Status);

        var again = new ToyExperiment(tmp.Path, 7);
        var r2 = JobEngine.Run(again, new JobRunOptions());
        Assert.Equal((2, 5, 2), (r2.Ran, r2.Skipped, again.Ran));
    }

    [Fact]
    public void AFailingJobIsRecordedAndTheOthersFinishThenARerunRetriesIt()
    {
        using var tmp = new TempDir();
        var toy = new ToyExperiment(tmp.Path, 4, failing: [2]);
        var r = JobEngine.Run(toy, new JobRunOptions());
        Assert.Equal(3, r.Ran);
        var (job, error) = Assert.Single(r.Failed);
        Assert.Equal(("toy-002", "job 2 broke"), (job, error));
        Assert.Equal(["toy-002"], r.Missing);
        Assert.Contains("job 2 broke", File.ReadAllText(tmp["jobs/toy-002.error.txt"]));
        Assert.Equal("completed-with-errors", AsymNet.Experiments.Runs.RunFolder.ReadManifest(tmp.Path).Status);

        var fixedToy = new ToyExperiment(tmp.Path, 4);
        var r2 = JobEngine.Run(fixedToy, new JobRunOptions());
        Assert.Equal((1, 3), (r2.Ran, r2.Skipped));
        Assert.False(File.Exists(tmp["jobs/toy-002.error.txt"]));
        Assert.Empty(r2.Missing);
    }

    [Fact]
    public void DivergedJobsAreFinishedAndMarkTheManifest()
    {
        using var tmp = new TempDir();
        var r = JobEngine.Run(new ToyExperiment(tmp.Path, 3, diverging: [1]), new JobRunOptions());
        Assert.True(r.Finished[1].Diverged);
        Assert.Equal("completed-with-divergence", AsymNet.Experiments.Runs.RunFolder.ReadManifest(tmp.Path).Status);
        Assert.Equal(0, JobEngine.Run(new ToyExperiment(tmp.Path, 3), new JobRunOptions()).Ran);
    }

    [Fact]
    public void ADifferentRecipeADamagedRecipeAndAForeignFolderAreRefused()
    {
        using var tmp = new TempDir();
        JobEngine.Run(new ToyExperiment(tmp.Path, 1, "{\"a\":1,\"b\":2}"), new JobRunOptions());
        var e = Assert.Throws<InvalidOperationException>(() => JobEngine.Run(new ToyExperiment(tmp.Path, 1, "{\"a\":1,\"b\":3}"), new JobRunOptions()));
        Assert.Contains("b: 2 there, 3 now", e.Message);

        File.WriteAllText(tmp["recipe.json"], "garbage");
        var d = Assert.Throws<InvalidDataException>(() => JobEngine.Run(new ToyExperiment(tmp.Path, 1), new JobRunOptions()));
        Assert.Contains("recipe.json is damaged", d.Message);

        using var other = new TempDir();
        File.WriteAllText(other["notes.txt"], "mine");
        Assert.Throws<InvalidOperationException>(() => JobEngine.Run(new ToyExperiment(other.Path, 1), new JobRunOptions()));
    }

    [Fact]
    public void ADamagedJobFileIsAnErrorNamingIt()
    {
        using var tmp = new TempDir();
        JobEngine.Run(new ToyExperiment(tmp.Path, 2), new JobRunOptions());
        File.WriteAllText(tmp["jobs/toy-001.json"], "{\"Index\":");
        var e = Assert.Throws<InvalidDataException>(() => JobEngine.Run(new ToyExperiment(tmp.Path, 2), new JobRunOptions()));
        Assert.Contains("toy-001.json is damaged", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ShardsTogetherRunEveryJobOnceAndCollectEqualsOneRun(int count)
    {
        using var tmp = new TempDir();
        var ran = 0;
        for (var i = 0; i < count; i++)
        {
            var shard = new ToyExperiment(tmp.Path, 7);
            var r = JobEngine.Run(shard, new JobRunOptions { Shard = new Shard(i, count) });
            Assert.Equal(Enumerable.Range(0, 7).Count(j => j % count == i), r.Ran);
            ran += shard.Ran;
            if (count > 1) Assert.True(File.Exists(tmp[JobEngine.ShardManifest(new Shard(i, count))]));
        }
        Assert.Equal(7, ran);
        var collected = JobEngine.Collect(new ToyExperiment(tmp.Path, 7), "asym collect");
        Assert.Empty(collected.Missing);
        Assert.Equal("0,1,4,9,16,25,36", File.ReadAllText(tmp["table.txt"]));
    }

    [Fact]
    public void CollectNamesTheMissingJobs()
    {
        using var tmp = new TempDir();
        JobEngine.Run(new ToyExperiment(tmp.Path, 4), new JobRunOptions { Shard = new Shard(0, 2) });
        Assert.False(File.Exists(tmp["table.txt"]));
        var r = JobEngine.Collect(new ToyExperiment(tmp.Path, 4), "asym collect");
        Assert.Equal(["toy-001", "toy-003"], r.Missing);
        Assert.Equal("incomplete", AsymNet.Experiments.Runs.RunFolder.ReadManifest(tmp.Path).Status);
    }

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("2/3", 2, 3)]
    public void ShardParses(string text, int index, int count) => Assert.Equal(new Shard(index, count), Shard.Parse(text));

    [Theory]
    [InlineData("3/3")]
    [InlineData("-1/2")]
    [InlineData("1/0")]
    [InlineData("1")]
    [InlineData("a/b")]
    public void MalformedShardsAreRefused(string text) => Assert.Contains("--shard", Assert.Throws<ArgumentException>(() => Shard.Parse(text)).Message);

    [Fact]
    public void SlurmArgumentsSplitLikeAShell()
    {
        Assert.Equal(["--partition=gpu", "--time=04:00:00", "--comment=two words"],
            SlurmSubmission.SplitArguments("--partition=gpu  --time=04:00:00 '--comment=two words'"));
        Assert.Throws<ArgumentException>(() => SlurmSubmission.SplitArguments("--comment='open"));
        Assert.Equal("'a b'", SlurmSubmission.Quote("a b"));
        Assert.Equal("--out=/x/y", SlurmSubmission.Quote("--out=/x/y"));
    }
}
