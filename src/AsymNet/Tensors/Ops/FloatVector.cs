using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AsymNet.Tensors.Ops;

/// <summary>
/// The arithmetic a SIMD kernel needs, over one float (<see cref="FloatV1"/>), 8 floats (<see cref="FloatV256"/>) or
/// 16 floats (<see cref="FloatV512"/>). Kernels are written once, generic over this interface, and the JIT
/// specializes them per width; the scalar width runs the same code on the tails.
/// Comparison results are masks: all bits set where true, zero where false.
/// </summary>
internal interface IFloatVector<TSelf> where TSelf : struct, IFloatVector<TSelf>
{
    static abstract int Count { get; }
    static abstract bool IsAccelerated { get; }
    static abstract TSelf Create(float value);
    static abstract TSelf Load(ref float source, nuint index);
    void Store(ref float destination, nuint index);
    float Sum();

    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a, TSelf b);
    static abstract TSelf operator *(TSelf a, TSelf b);
    static abstract TSelf operator /(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a);

    /// <summary>a·b + c, fused where the hardware has FMA.</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);
    static abstract TSelf Exp(TSelf x);
    static abstract TSelf Abs(TSelf x);
    static abstract TSelf Min(TSelf a, TSelf b);
    static abstract TSelf Max(TSelf a, TSelf b);

    /// <summary>Round to the nearest integer, ties to even.</summary>
    static abstract TSelf Round(TSelf x);

    /// <summary>x·2ⁿ for integral n by adding n to the exponent field; the result must stay a normal float.</summary>
    static abstract TSelf ScaleByPowerOf2(TSelf x, TSelf n);
    static abstract TSelf GreaterThan(TSelf a, TSelf b);
    static abstract TSelf Select(TSelf mask, TSelf whenTrue, TSelf whenFalse);
}

internal readonly struct FloatV1(float value) : IFloatVector<FloatV1>
{
    private readonly float _value = value;

    public float Value => _value;
    public static int Count => 1;
    public static bool IsAccelerated => true;
    public static FloatV1 Create(float value) => new(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatV1 Load(ref float source, nuint index) => new(Unsafe.Add(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref float destination, nuint index) => Unsafe.Add(ref destination, index) = _value;
    public float Sum() => _value;

    public static FloatV1 operator +(FloatV1 a, FloatV1 b) => new(a._value + b._value);
    public static FloatV1 operator -(FloatV1 a, FloatV1 b) => new(a._value - b._value);
    public static FloatV1 operator *(FloatV1 a, FloatV1 b) => new(a._value * b._value);
    public static FloatV1 operator /(FloatV1 a, FloatV1 b) => new(a._value / b._value);
    public static FloatV1 operator -(FloatV1 a) => new(-a._value);

    public static FloatV1 MultiplyAdd(FloatV1 a, FloatV1 b, FloatV1 c) => new(float.MultiplyAddEstimate(a._value, b._value, c._value));
    public static FloatV1 Exp(FloatV1 x) => new(MathF.Exp(x._value));
    public static FloatV1 Abs(FloatV1 x) => new(MathF.Abs(x._value));
    public static FloatV1 Min(FloatV1 a, FloatV1 b) => new(MathF.Min(a._value, b._value));
    public static FloatV1 Max(FloatV1 a, FloatV1 b) => new(MathF.Max(a._value, b._value));
    public static FloatV1 Round(FloatV1 x) => new(MathF.Round(x._value, MidpointRounding.ToEven));
    public static FloatV1 ScaleByPowerOf2(FloatV1 x, FloatV1 n) =>
        new(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(x._value) + ((int)n._value << 23)));
    public static FloatV1 GreaterThan(FloatV1 a, FloatV1 b) => new(BitConverter.Int32BitsToSingle(a._value > b._value ? -1 : 0));
    public static FloatV1 Select(FloatV1 mask, FloatV1 whenTrue, FloatV1 whenFalse) =>
        BitConverter.SingleToInt32Bits(mask._value) != 0 ? whenTrue : whenFalse;
}

internal readonly struct FloatV256(Vector256<float> value) : IFloatVector<FloatV256>
{
    private readonly Vector256<float> _value = value;

    public static int Count => Vector256<float>.Count;
    public static bool IsAccelerated => Vector256.IsHardwareAccelerated && KernelPaths.Use256;
    public static FloatV256 Create(float value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatV256 Load(ref float source, nuint index) => new(Vector256.LoadUnsafe(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref float destination, nuint index) => _value.StoreUnsafe(ref destination, index);
    public float Sum() => Vector256.Sum(_value);

    public static FloatV256 operator +(FloatV256 a, FloatV256 b) => new(a._value + b._value);
    public static FloatV256 operator -(FloatV256 a, FloatV256 b) => new(a._value - b._value);
    public static FloatV256 operator *(FloatV256 a, FloatV256 b) => new(a._value * b._value);
    public static FloatV256 operator /(FloatV256 a, FloatV256 b) => new(a._value / b._value);
    public static FloatV256 operator -(FloatV256 a) => new(-a._value);

    public static FloatV256 MultiplyAdd(FloatV256 a, FloatV256 b, FloatV256 c) => new(Vector256.MultiplyAddEstimate(a._value, b._value, c._value));
    public static FloatV256 Exp(FloatV256 x) => new(Vector256.Exp(x._value));
    public static FloatV256 Abs(FloatV256 x) => new(Vector256.Abs(x._value));
    public static FloatV256 Min(FloatV256 a, FloatV256 b) => new(Vector256.Min(a._value, b._value));
    public static FloatV256 Max(FloatV256 a, FloatV256 b) => new(Vector256.Max(a._value, b._value));
    public static FloatV256 Round(FloatV256 x) => new(Vector256.Round(x._value));
    public static FloatV256 ScaleByPowerOf2(FloatV256 x, FloatV256 n) =>
        new((x._value.AsInt32() + Vector256.ShiftLeft(Vector256.ConvertToInt32(n._value), 23)).AsSingle());
    public static FloatV256 GreaterThan(FloatV256 a, FloatV256 b) => new(Vector256.GreaterThan(a._value, b._value));
    public static FloatV256 Select(FloatV256 mask, FloatV256 whenTrue, FloatV256 whenFalse) =>
        new(Vector256.ConditionalSelect(mask._value, whenTrue._value, whenFalse._value));
}

internal readonly struct FloatV512(Vector512<float> value) : IFloatVector<FloatV512>
{
    private readonly Vector512<float> _value = value;

    public static int Count => Vector512<float>.Count;
    public static bool IsAccelerated => Vector512.IsHardwareAccelerated && KernelPaths.Use512;
    public static FloatV512 Create(float value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatV512 Load(ref float source, nuint index) => new(Vector512.LoadUnsafe(ref source, index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref float destination, nuint index) => _value.StoreUnsafe(ref destination, index);
    public float Sum() => Vector512.Sum(_value);

    public static FloatV512 operator +(FloatV512 a, FloatV512 b) => new(a._value + b._value);
    public static FloatV512 operator -(FloatV512 a, FloatV512 b) => new(a._value - b._value);
    public static FloatV512 operator *(FloatV512 a, FloatV512 b) => new(a._value * b._value);
    public static FloatV512 operator /(FloatV512 a, FloatV512 b) => new(a._value / b._value);
    public static FloatV512 operator -(FloatV512 a) => new(-a._value);

    public static FloatV512 MultiplyAdd(FloatV512 a, FloatV512 b, FloatV512 c) => new(Vector512.MultiplyAddEstimate(a._value, b._value, c._value));
    public static FloatV512 Exp(FloatV512 x) => new(Vector512.Exp(x._value));
    public static FloatV512 Abs(FloatV512 x) => new(Vector512.Abs(x._value));
    public static FloatV512 Min(FloatV512 a, FloatV512 b) => new(Vector512.Min(a._value, b._value));
    public static FloatV512 Max(FloatV512 a, FloatV512 b) => new(Vector512.Max(a._value, b._value));
    public static FloatV512 Round(FloatV512 x) => new(Vector512.Round(x._value));
    public static FloatV512 ScaleByPowerOf2(FloatV512 x, FloatV512 n) =>
        new((x._value.AsInt32() + Vector512.ShiftLeft(Vector512.ConvertToInt32(n._value), 23)).AsSingle());
    public static FloatV512 GreaterThan(FloatV512 a, FloatV512 b) => new(Vector512.GreaterThan(a._value, b._value));
    public static FloatV512 Select(FloatV512 mask, FloatV512 whenTrue, FloatV512 whenFalse) =>
        new(Vector512.ConditionalSelect(mask._value, whenTrue._value, whenFalse._value));
}
