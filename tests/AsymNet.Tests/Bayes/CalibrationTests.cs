using AsymNet.Bayes;

namespace AsymNet.Tests.Bayes;

public class CalibrationTests
{
    /// <summary>Confidences .9 (right), .9 (wrong), .62 (right), 1.0 (right), 1.0 (wrong): bins 13, 9 and the extra bin of 1.0.
    /// ECE = 2/5·|.5 − .9| + 1/5·|1 − .62| + 2/5·|.5 − 1| = .16 + .076 + .2.</summary>
    [Fact]
    public void HandComputedCaseWithConfidenceExactlyOne()
    {
        double[] p =
        [
            0.9, 0.1,
            0.1, 0.9,
            0.38, 0.62,
            1.0, 0.0,
            0.0, 1.0,
        ];
        int[] labels = [0, 0, 1, 0, 0];
        var ece = Calibration.ExpectedCalibrationError(p, 2, labels);
        Assert.Equal(0.16 + 0.076 + 0.2, ece, 6);
        var m = PredictiveMetrics.From(p.AsSpan()[..8], 2, labels.AsSpan()[..4]);
        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.1) + Math.Log(0.62) + Math.Log(1.0)) / 4, m.Nll, 12);
        Assert.Equal(0.75, m.Accuracy);
        Assert.Equal(4, m.Count);
    }

    /// <summary>Perfectly calibrated: half right at confidence .5 (ties go to the first class, as torch.max).</summary>
    [Fact]
    public void TiesTakeTheFirstClass()
    {
        double[] p = [0.5, 0.5, 0.5, 0.5];
        Assert.Equal(0.0, Calibration.ExpectedCalibrationError(p, 2, [0, 1]), 12);
        Assert.Equal(0.5, PredictiveMetrics.From(p, 2, [0, 1]).Accuracy);
    }

    /// <summary>CIFAR-100's 100 classes: the top label is found among all columns, and a label ≥ 100 is refused.</summary>
    [Fact]
    public void HundredClasses()
    {
        var p = new double[3 * 100];
        for (var i = 0; i < p.Length; i++) p[i] = 0.2 / 99;
        p[0 * 100 + 73] = 0.8;   // right, confidence .8 (bin 12)
        p[1 * 100 + 99] = 0.8;   // wrong
        p[2 * 100 + 5] = 0.8;    // right
        int[] labels = [73, 98, 5];
        var m = PredictiveMetrics.From(p, 100, labels);
        Assert.Equal(2.0 / 3, m.Accuracy, 12);
        Assert.Equal(Math.Abs(2.0 / 3 - 0.8), m.Ece, 6);
        Assert.Equal(-(2 * Math.Log(0.8) + Math.Log(0.2 / 99)) / 3, m.Nll, 12);
        Assert.Throws<ArgumentException>(() => PredictiveMetrics.From(p, 100, [73, 100, 5]));
    }

    [Fact]
    public void BoundariesAreTorchLinspaceInFloat32()
    {
        var b = Calibration.Boundaries(15);
        Assert.Equal(16, b.Length);
        Assert.Equal(0f, b[0]);
        Assert.Equal(1f, b[15]);
        for (var i = 0; i <= 15; i++) Assert.Equal(i / 15.0, b[i], 6);
    }
}
