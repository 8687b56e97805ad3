using AsymNet.Tensors;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Tensors;

[Collection(KernelPathsCollection.Name)]
public class KernelPathsTests
{
    private static readonly KernelPathSetting Wide = new(VectorPath.Bits512, ConvolutionPath.Direct);

    [Theory]
    [InlineData("256,lowered", "256,lowered")]
    [InlineData("lowered", "512,lowered")]      // a token changes only what it names
    [InlineData(" Scalar ", "scalar,lowered")]
    [InlineData("256,direct", "256,lowered")]   // direct convolutions need 512-bit vectors
    [InlineData("", "512,direct")]
    public void ParsesWhatAsymKernelsSays(string text, string want) => Assert.Equal(want, KernelPathSetting.Parse(text, Wide).ToString());

    [Fact]
    public void RejectsUnknownTokensAndWidthsTheHardwareLacks()
    {
        Assert.Contains("known: 512, 256, scalar", Assert.Throws<ArgumentException>(() => KernelPathSetting.Parse("avx2", Wide)).Message);
        if (KernelPaths.Widest.Vectors < VectorPath.Bits512)
            Assert.Throws<ArgumentException>(() => KernelPaths.Use(Wide));
    }

    [Fact]
    public void UseForcesASettingUntilDisposedAndAvailableListsEachOnce()
    {
        var before = KernelPaths.Current;
        var all = KernelPaths.Available();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(KernelPaths.Widest, all[0]);
        Assert.Contains(new KernelPathSetting(VectorPath.Scalar, ConvolutionPath.Lowered), all);
        using (KernelPaths.Use(all[^1]))
        {
            Assert.Equal(all[^1], KernelPaths.Current);
            Assert.False(KernelPaths.Use512 || KernelPaths.Use256 || KernelPaths.DirectConvolution);
        }
        Assert.Equal(before, KernelPaths.Current);
    }
}
