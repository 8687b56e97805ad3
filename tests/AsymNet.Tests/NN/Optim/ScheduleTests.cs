using AsymNet.NN.Optim.Schedules;

namespace AsymNet.Tests.NN.Optim;

public sealed class ScheduleTests
{
    [Fact]
    public void ConstantIsOne() => Assert.Equal(1, LrSchedule.Parse("constant", 10).Factor(7, 3, 100));

    [Fact]
    public void GnnWarmupIsPerEpochAndStartsAtOneOverW()
    {
        var s = LrSchedule.Parse("warmup:25", 500);
        Assert.Equal(1 / 25.0, s.Factor(0, 50, 100), 15);
        Assert.Equal(1 / 25.0, s.Factor(0, 0, 100), 15);
        Assert.Equal(24 / 25.0, s.Factor(23, 0, 1), 15);
        Assert.Equal(1, s.Factor(24, 0, 1));
        Assert.Equal(1, s.Factor(400, 0, 1));
    }

    [Fact]
    public void StepWarmupCountsGlobalSteps()
    {
        var s = LrSchedule.Parse("warmup-steps:10", 3);
        Assert.Equal(0.1, s.Factor(0, 0, 4), 15);
        Assert.Equal(0.6, s.Factor(1, 1, 4), 15); // global step 5
        Assert.Equal(1, s.Factor(2, 3, 4));
    }

    [Fact]
    public void TriangularRisesToThePeakEpochThenFallsToZero()
    {
        var s = LrSchedule.Parse("triangular:5", 20);
        const int S = 97;
        Assert.Equal(0, s.Factor(0, 0, S)); // the first step uses lr 0
        Assert.Equal(1.0 / (5 * S), s.Factor(0, 1, S), 15);
        Assert.Equal(0.4, s.Factor(2, 0, S), 15); // global step 2S of the 5S rise
        Assert.Equal(1, s.Factor(5, 0, S), 15);
        Assert.Equal(0.5, s.Factor(12, S / 2, S), 2);
        Assert.Equal((15.0 * S - 1) / (15 * S), s.Factor(5, 1, S), 15);
        Assert.True(s.Factor(19, S - 1, S) > 0);
        Assert.Equal(0, s.Factor(20, 0, S));
        // Linear in between: equal steps give equal increments.
        Assert.Equal(s.Factor(1, 10, S) - s.Factor(1, 9, S), s.Factor(3, 10, S) - s.Factor(3, 9, S), 12);
    }

    [Fact]
    public void GeometricWarmupMatchesTheLmcResNetRecipe()
    {
        var s = LrSchedule.Parse("geometric:1.259:20", 100);
        Assert.Equal(1, s.Factor(0, 5, 10));
        Assert.Equal(1.259, s.Factor(1, 0, 10), 12);
        Assert.Equal(Math.Pow(1.259, 20), s.Factor(20, 0, 10), 9);
        Assert.Equal(Math.Pow(1.259, 20), s.Factor(99, 0, 10), 9);
        Assert.InRange(1e-4 * s.Factor(30, 0, 10), 1.0e-2, 1.002e-2); // ≈ 1.001e-2 (docs/paper.md#lmc-resnet-recipe)
    }

    [Theory]
    [InlineData("cosine")]
    [InlineData("warmup")]
    [InlineData("warmup:x")]
    [InlineData("geometric:2")]
    public void UnknownSpecsAreRejectedWithHelp(string spec)
    {
        var e = Assert.Throws<ArgumentException>(() => LrSchedule.Parse(spec, 10));
        Assert.Contains("triangular", e.Message);
    }

    [Theory]
    [InlineData("constant")]
    [InlineData("warmup:25")]
    [InlineData("warmup-steps:100")]
    [InlineData("triangular:5")]
    [InlineData("geometric:1.259:20")]
    public void SpecRoundTrips(string spec) => Assert.Equal(spec, LrSchedule.Parse(spec, 10).Spec);
}
