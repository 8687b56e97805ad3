using System.Text.Json;
using AsymNet.Tensors;

namespace AsymNet.Tests.Support;

/// <summary>Reads the PyTorch reference files under Reference/ (made by tools/reference/*.py) and compares with them.</summary>
public static class ReferenceJson
{
    /// <summary>Parses Reference/&lt;parts&gt; from the test output folder, failing with the script to run if it is missing.</summary>
    public static JsonDocument Load(string script, params string[] parts)
    {
        var path = Path.Combine([AppContext.BaseDirectory, "Reference", .. parts]);
        Assert.True(File.Exists(path), $"Reference file missing: {path} (make it with tools/reference/{script}).");
        return JsonDocument.Parse(File.ReadAllText(path));
    }

    public static int[] Ints(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    public static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    /// <summary>A persistent tensor from {"shape": [...], "values": [...]}.</summary>
    public static Tensor ReadTensor(JsonElement e) =>
        Tensor.FromArray(Floats(e.GetProperty("values")), Ints(e.GetProperty("shape")));

    /// <summary>Elementwise |expected − actual| ≤ atol + rtol·|expected|, naming the first index that is not.</summary>
    public static void AssertClose(float[] expected, float[] actual, double atol, double rtol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= atol + rtol * Math.Abs(expected[i])))
                throw new Xunit.Sdk.XunitException($"{what}[{i}]: AsymNet {actual[i]}, PyTorch {expected[i]} (atol {atol:g3}).");
    }

    /// <summary>The case names of a Reference/ops file (ops_conv_reference.py), for [MemberData].</summary>
    public static TheoryData<string> OpCaseNames(string file)
    {
        using var doc = Load("ops_conv_reference.py", "ops", file);
        return new TheoryData<string>(doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));
    }

    /// <summary>
    /// Runs one case of a Reference/ops file: the op on the stored inputs must give "y", and the backward of Σ y·r must
    /// give "grads", each within rtol of the tensor's largest magnitude (float32 sums in another order differ there).
    /// </summary>
    public static void CheckOpCase(string file, string name, Func<JsonElement, IReadOnlyDictionary<string, Tensor>, Tensor> op, double rtol = 1e-5)
    {
        using var doc = Load("ops_conv_reference.py", "ops", file);
        var c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var inputs = c.GetProperty("inputs").EnumerateObject().ToDictionary(p => p.Name, p => ReadTensor(p.Value));
        foreach (var t in inputs.Values) t.RequiresGrad = true;
        var y = op(c, inputs);
        var expectedY = ReadTensor(c.GetProperty("y"));
        Assert.Equal(expectedY.Shape, y.Shape);
        CloseToScale(expectedY.ToArray(), y.ToArray(), rtol, "y");
        AsymNet.Tensors.Ops.Ops.Sum(AsymNet.Tensors.Ops.Ops.Mul(y, ReadTensor(c.GetProperty("r")))).Backward();
        foreach (var g in c.GetProperty("grads").EnumerateObject())
            CloseToScale(Floats(g.Value.GetProperty("values")), inputs[g.Name].Grad!.ToArray(), rtol, "grad " + g.Name);
    }

    private static void CloseToScale(float[] expected, float[] actual, double rtol, string what) =>
        AssertClose(expected, actual, rtol * Math.Max(expected.Max(Math.Abs), 1e-6f), rtol, what);
}
