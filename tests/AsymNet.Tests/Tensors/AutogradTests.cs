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
    public void HandedOverGradientsAreNotShared()
    {
        // Add gives its gradient itself to b and a copy to a; both ReLU backwards then overwrite what they got in place.
        var p = Tensor.FromArray([1, -2, 3, -4], 4);
        var q = Tensor.FromArray([-1, 2, 3, -4], 4);
        var c = Tensor.FromArray([10, 20, 30, 40], 4);
        p.RequiresGrad = q.RequiresGrad = true;
        Ops.Sum(Ops.Mul(Ops.Add(Ops.Relu(p), Ops.Relu(q)), c)).Backward();
        Assert.Equal(new float[] { 10, 0, 30, 0 }, p.Grad!.ToArray());
        Assert.Equal(new float[] { 0, 20, 30, 0 }, q.Grad!.ToArray());
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
    public void KeepingAViewKeepsTheTensorThatOwnsItsStorage()
    {
        Tensor view;
        float[] storage;
        using (var scope = TensorScope.Begin())
        {
            var owner = Tensor.Full(7f, 4, 1001);
            storage = owner.Storage;
            view = scope.Keep(Ops.Reshape(Ops.Reshape(owner, 1001, 4), 4004));
            Assert.True(view.IsView);
        }
        // Had the owner gone back to the pool, the next rent of that size would hand its array out again.
        Assert.NotSame(storage, TensorPool.Rent(4004));
        Assert.Same(storage, view.Storage);
        Assert.All(view.ToArray(), v => Assert.Equal(7f, v));
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

    [Fact]
    public void GradMaskMultipliesEveryContributionLikeAMaskingHook()
    {
        var mask = Tensor.FromArray([1, 0, 1, 0], 4);
        var masked = Tensor.FromArray([1, 2, 3, 4], 4);
        masked.RequiresGrad = true;
        masked.SetGradMask(mask);
        var hooked = Tensor.FromArray([1, 2, 3, 4], 4);
        hooked.RequiresGrad = true;
        hooked.RegisterHook(g => System.Numerics.Tensors.TensorPrimitives.Multiply(g.Span, mask.Span, g.Span));
        Assert.Null(Autograd.LeafGradBuffer(masked)); // a GEMM must not write past the mask
        foreach (var x in new[] { masked, hooked })
        {
            // Twice: the first contribution creates the gradient, the second accumulates into it; x·x also sends two
            // contributions through one backward.
            Ops.Sum(Ops.Mul(x, x)).Backward();
            Ops.Sum(Ops.MulScalar(x, 0.5f)).Backward();
        }
        Assert.Equal(new float[] { 2.5f, 0, 6.5f, 0 }, masked.Grad!.ToArray());
        Assert.Equal(hooked.Grad!.ToArray(), masked.Grad!.ToArray());
        Assert.Throws<ArgumentException>(() => masked.SetGradMask(Tensor.Zeros(3)));
    }
}
