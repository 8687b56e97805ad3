using System.Text.Json;
using AsymNet.NN.Optim;
using AsymNet.Tensors;

namespace AsymNet.Tests.NN.Optim;

/// <summary>Replays the gradients of tools/reference/optim_reference.py and compares every step with PyTorch 1.13.</summary>
public sealed class OptimizerReferenceTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Reference", "optim");

    public static TheoryData<string> Cases() =>
        [.. Directory.GetFiles(Dir, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order()];

    [Fact]
    public void AllCasesArePresent() => Assert.Equal(9, Cases().Count);

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    private static Optimizer Build(string kind, JsonElement o, List<OptimParameter> ps)
    {
        double Get(string name, double fallback) => o.TryGetProperty(name, out var v) ? v.GetDouble() : fallback;
        var betas = o.TryGetProperty("betas", out var b) ? b.EnumerateArray().Select(x => x.GetDouble()).ToArray() : [0.9, 0.999];
        return kind switch
        {
            "SGD" => new Sgd(ps, Get("lr", 0), Get("momentum", 0), Get("dampening", 0),
                o.TryGetProperty("nesterov", out var n) && n.GetBoolean(), Get("weight_decay", 0)),
            "Adam" => new Adam(ps, Get("lr", 1e-3), betas[0], betas[1], Get("eps", 1e-8), Get("weight_decay", 0)),
            "AdamW" => new AdamW(ps, Get("lr", 1e-3), betas[0], betas[1], Get("eps", 1e-8), Get("weight_decay", 0.01)),
            _ => throw new ArgumentException(kind),
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, name + ".json")));
        var root = doc.RootElement;
        var shapes = root.GetProperty("shapes").EnumerateArray().Select(s => s.EnumerateArray().Select(d => d.GetInt32()).ToArray()).ToArray();
        var init = root.GetProperty("init").EnumerateArray().Select(Floats).ToArray();
        var tensors = shapes.Select((s, i) => Tensor.FromArray((float[])init[i].Clone(), s)).ToArray();
        foreach (var t in tensors) t.RequiresGrad = true;
        var opt = Build(root.GetProperty("optimizer").GetString()!, root.GetProperty("options"), OptimParameter.Of(tensors));
        var grads = root.GetProperty("grads").EnumerateArray().ToArray();
        var after = root.GetProperty("after").EnumerateArray().ToArray();
        var lrs = root.GetProperty("lrs");
        double worst = 0;
        for (var k = 0; k < grads.Length; k++)
        {
            if (lrs.ValueKind == JsonValueKind.Array) opt.LearningRate = lrs[k].GetDouble();
            opt.ZeroGrad();
            var g = grads[k].EnumerateArray().Select(Floats).ToArray();
            for (var i = 0; i < tensors.Length; i++) tensors[i].Grad = Tensor.FromArray(g[i], shapes[i]);
            opt.Step();
            var expected = after[k].EnumerateArray().Select(Floats).ToArray();
            for (var i = 0; i < tensors.Length; i++)
            {
                var got = tensors[i].Span;
                for (var j = 0; j < got.Length; j++)
                {
                    var err = Math.Abs(got[j] - expected[i][j]) / Math.Max(Math.Abs(expected[i][j]), 1e-3);
                    worst = Math.Max(worst, err);
                    Assert.True(err <= 1e-6, $"{name}: step {k + 1}, tensor {i}, entry {j}: {got[j]:R} vs PyTorch {expected[i][j]:R}");
                }
            }
        }
        Assert.Equal(5, grads.Length);
    }
}
