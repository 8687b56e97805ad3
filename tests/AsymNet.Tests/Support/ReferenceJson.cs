using System.Text.Json;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.Tests.Support;

/// <summary>
/// Reading the PyTorch reference files under Reference/ (written by tools/reference/*.py) and comparing against them.
/// </summary>
public static class ReferenceJson
{
    /// <summary>The root of Reference/<paramref name="folder"/>/<paramref name="name"/>.json, or a failure naming the script that makes it.</summary>
    public static JsonElement Load(string folder, string name, string script)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Reference", folder, name + ".json");
        Assert.True(File.Exists(path), $"Reference file missing: {path} (make it with tools/reference/{script}).");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    public static int[] Ints(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    public static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    /// <summary>A persistent tensor from an entry {"shape": [...], "values": [...]}.</summary>
    public static Tensor ToTensor(JsonElement entry) =>
        AsymNet.Tensors.Tensor.FromArray(Floats(entry.GetProperty("values")), Ints(entry.GetProperty("shape")));

    /// <summary>Elementwise |actual − expected| ≤ atol + rtol·|expected|, failing with the first index that is not.</summary>
    public static void AssertClose(float[] expected, float[] actual, double atol, string what, double rtol = 1e-4)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= atol + rtol * Math.Abs(expected[i])))
                throw new Xunit.Sdk.XunitException($"{what}[{i}]: AsymNet {actual[i]}, PyTorch {expected[i]} (atol {atol:g3}, rtol {rtol:g3}).");
    }
}

/// <summary>
/// One case of tools/reference/ops_norm_reference.py or ops_conv_reference.py: named input tensors, the op's output,
/// a probe R and the gradients of Σ y·R.
/// </summary>
public sealed class OpReference
{
    private OpReference(JsonElement root) => Root = root;

    public JsonElement Root { get; }

    public static OpReference Load(string name) => new(ReferenceJson.Load("ops", "ops_" + name, Script(name)));

    /// <summary>The script that writes a case: convolutions and pools come from their own script.</summary>
    private static string Script(string name) =>
        name.StartsWith("conv", StringComparison.Ordinal) || name.Contains("pool", StringComparison.Ordinal)
            ? "ops_conv_reference.py"
            : "ops_norm_reference.py";

    /// <summary>A fresh copy of the stored tensor <paramref name="key"/>.</summary>
    public Tensor Input(string key, bool requiresGrad = true)
    {
        var t = ReferenceJson.ToTensor(Root.GetProperty(key));
        t.RequiresGrad = requiresGrad;
        return t;
    }

    public float[] Values(string key) => ReferenceJson.Floats(Root.GetProperty(key).GetProperty("values"));

    /// <summary>
    /// Compares y with the stored output, then back-propagates Σ y·R and compares the gradients of the named inputs,
    /// each within <paramref name="rtol"/> of its own largest magnitude plus rtol relative.
    /// </summary>
    public void AssertOutputAndGradients(Tensor y, double rtol, params (string Key, Tensor? Input)[] inputs)
    {
        Assert.Equal(ReferenceJson.Ints(Root.GetProperty("output").GetProperty("shape")), y.Shape);
        AssertScaled("output", Values("output"), y.ToArray(), rtol);
        Ops.Sum(Ops.Mul(y, ReferenceJson.ToTensor(Root.GetProperty("probe")))).Backward();
        foreach (var (key, input) in inputs)
        {
            if (input is null) continue;
            Assert.True(input.Grad is not null, $"No gradient reached {key}.");
            AssertScaled("grad." + key, Values("grad." + key), input.Grad!.ToArray(), rtol);
        }
    }

    /// <summary>Close within rtol of the array's largest magnitude (float32 rounding scales with it) plus rtol relative.</summary>
    public static void AssertScaled(string what, float[] expected, float[] actual, double rtol)
    {
        var scale = expected.Length == 0 ? 1.0 : Math.Max(expected.Max(v => Math.Abs((double)v)), 1e-3);
        ReferenceJson.AssertClose(expected, actual, rtol * scale, what, rtol);
    }
}
