using AsymNet.Tensors.Gemm;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>y = x·Wᵀ + b with x [..., in], W [out, in], b [out] or null (PyTorch F.linear).</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias)
    {
        if (weight.Rank != 2 || x.Rank < 1 || x.Shape[^1] != weight.Shape[1])
            throw new ArgumentException($"Linear: input {ShapeUtil.Format(x.Shape)} does not fit weight {ShapeUtil.Format(weight.Shape)}.");
        var (outF, inF) = (weight.Shape[0], weight.Shape[1]);
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != outF))
            throw new ArgumentException($"Linear: bias {ShapeUtil.Format(bias.Shape)} does not fit weight {ShapeUtil.Format(weight.Shape)}.");
        var rows = ShapeUtil.Numel(x.Shape[..^1]);
        var yShape = (int[])x.Shape.Clone();
        yShape[^1] = outF;
        var y = Tensor.Empty(yShape);
        var ys = y.Span;
        var beta = 0f;
        if (bias is not null)
        {
            for (var r = 0; r < rows; r++) bias.Span.CopyTo(ys.Slice(r * outF, outF));
            beta = 1f;
        }
        Blas.Current.Sgemm(false, true, rows, outF, inF, 1f, x.Span, inF, weight.Span, inF, beta, ys, outF);

        if (Autograd.NeedsGrad(x, weight, bias))
            Autograd.Record(y, bias is null ? [x, weight] : [x, weight, bias], g =>
            {
                if (x.RequiresGrad)
                {
                    var gx = Tensor.Empty(x.Shape);
                    Blas.Current.Sgemm(false, false, rows, inF, outF, 1f, g.Span, outF, weight.Span, inF, 0f, gx.Span, inF);
                    Autograd.AccumulateOwned(x, gx);
                }
                if (weight.RequiresGrad)
                    AccumulateGemm(weight, (target, beta) =>
                        Blas.Current.Sgemm(true, false, outF, inF, rows, 1f, g.Span, outF, x.Span, inF, beta, target, inF));
                if (bias is not null && bias.RequiresGrad)
                    AccumulateGemm(bias, (target, beta) =>
                    {
                        if (beta == 0f) target.Clear();
                        for (var r = 0; r < rows; r++)
                            System.Numerics.Tensors.TensorPrimitives.Add(target, g.Span.Slice(r * outF, outF), target);
                    });
            });
        return y;
    }

    /// <summary>
    /// Runs <paramref name="write"/>(target, beta) so that it lands in <paramref name="input"/>'s gradient: straight into
    /// a leaf's buffer with beta = 1, else into a fresh tensor with beta = 0 that is then accumulated.
    /// </summary>
    internal static void AccumulateGemm(Tensor input, GradWriter write)
    {
        var buffer = Autograd.LeafGradBuffer(input);
        if (buffer is not null)
        {
            write(buffer.Span, 1f);
            return;
        }
        var grad = Tensor.Empty(input.Shape);
        write(grad.Span, 0f);
        Autograd.AccumulateOwned(input, grad);
    }

    internal delegate void GradWriter(Span<float> target, float beta);
}
