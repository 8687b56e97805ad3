using TensorOps = AsymNet.Tensors.Ops.Ops;

namespace AsymNet.Tensors;

/// <summary>C# operators for the elementwise ops; each is the named op in <see cref="TensorOps"/>, with autograd.</summary>
public sealed partial class Tensor
{
    public static Tensor operator +(Tensor a, Tensor b) => TensorOps.Add(a, b);
    public static Tensor operator -(Tensor a, Tensor b) => TensorOps.Sub(a, b);
    public static Tensor operator *(Tensor a, Tensor b) => TensorOps.Mul(a, b);
    public static Tensor operator /(Tensor a, Tensor b) => TensorOps.Div(a, b);
    public static Tensor operator -(Tensor a) => TensorOps.Neg(a);

    public static Tensor operator +(Tensor a, float s) => TensorOps.AddScalar(a, s);
    public static Tensor operator +(float s, Tensor a) => TensorOps.AddScalar(a, s);
    public static Tensor operator -(Tensor a, float s) => TensorOps.AddScalar(a, -s);
    public static Tensor operator -(float s, Tensor a) => TensorOps.AddScalar(TensorOps.Neg(a), s);
    public static Tensor operator *(Tensor a, float s) => TensorOps.MulScalar(a, s);
    public static Tensor operator *(float s, Tensor a) => TensorOps.MulScalar(a, s);
    public static Tensor operator /(Tensor a, float s) => TensorOps.Div(a, Scalar(s));
    public static Tensor operator /(float s, Tensor a) => TensorOps.Div(Scalar(s), a);
}
