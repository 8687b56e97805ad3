namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Rows [start, start + length) along the first axis, as a view sharing storage.</summary>
    public static Tensor Narrow(Tensor x, int start, int length)
    {
        if (x.Rank == 0) throw new ArgumentException("Narrow needs at least one dimension.");
        if (start < 0 || length < 0 || start + length > x.Shape[0])
            throw new ArgumentOutOfRangeException(nameof(start), $"Rows [{start}, {start + length}) out of range for {ShapeUtil.Format(x.Shape)}.");
        var shape = (int[])x.Shape.Clone();
        shape[0] = length;
        var rowSize = x.Shape[0] == 0 ? 0 : x.Length / x.Shape[0];
        var y = new Tensor(x.Storage, x.Offset + start * rowSize, shape, x);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Zeros(x.Shape);
                g.Span.CopyTo(gx.Span.Slice(start * rowSize, g.Length));
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }
}
