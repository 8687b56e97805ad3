using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.Tests.Tensors;

public class AutogradTests
{
    [Fact]
    public void ReshapeIsAViewAndPassesGradientBack()
    {
        var x = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        x.RequiresGrad = true;
        var y = Ops.Reshape(x, 3, -1);
        Assert.Equal(new[] { 3, 2 }, y.Shape);
        Assert.Same(x.Storage, y.Storage);
        var ones = Tensor.Full(1f, 3, 2);
        y.Node!.Backward(ones);
        Assert.Equal(new float[] { 1, 1, 1, 1, 1, 1 }, x.Grad!.ToArray());
    }

    [Fact]
    public void NarrowSlicesTheFirstAxis()
    {
        var x = Tensor.FromArray([1, 2, 3, 4, 5, 6], 3, 2);
        var y = Ops.Narrow(x, 1, 2);
        Assert.Equal(new float[] { 3, 4, 5, 6 }, y.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Narrow(x, 2, 2));
    }

    [Fact]
    public void ScopeReturnsStorageToThePool()
    {
        float[] storage;
        using (TensorScope.Begin())
        {
            storage = Tensor.Empty(1234).Storage;
        }
        Assert.Same(storage, TensorPool.Rent(1234));
    }

    [Fact]
    public void KeptTensorsSurviveTheirScope()
    {
        Tensor kept;
        using (var scope = TensorScope.Begin())
        {
            kept = scope.Keep(Tensor.Full(3f, 5));
        }
        Assert.Equal(5, kept.Storage.Length);
        Assert.Equal(3f, kept.Span[4]);
    }

    [Fact]
    public void HooksSeeGradientBeforeAccumulation()
    {
        var x = Tensor.FromArray([1, 2, 3, 4], 4);
        x.RequiresGrad = true;
        x.RegisterHook(g => g.Span[0] = 0f);
        var y = Ops.Reshape(x, 2, 2);
        y.Node!.Backward(Tensor.Full(1f, 2, 2));
        Assert.Equal(new float[] { 0, 1, 1, 1 }, x.Grad!.ToArray());
    }
}
