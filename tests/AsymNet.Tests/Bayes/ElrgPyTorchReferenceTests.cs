using System.Text.Json;
using AsymNet.Bayes;
using AsymNet.NN;
using AsymNet.NN.Asymmetry;
using AsymNet.NN.Layers;
using AsymNet.Tensors;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Bayes;

/// <summary>
/// The ELRG layers against tools/reference/bayes_elrg_reference.py: the same μ (raw weight, mask, F), V, log s and ε
/// give the same outputs as PyTorch's explicit per-example weight samples, and the same KL as torch.distributions'.
/// </summary>
public class ElrgPyTorchReferenceTests
{
    private static JsonElement Load(string name) => ReferenceJson.Load("bayes", "bayes_" + name, "bayes_elrg_reference.py");

    private static float[] F(JsonElement root, string key) => ReferenceJson.Floats(root.GetProperty(key).GetProperty("values"));

    [Theory]
    [InlineData("linear_wasym")]
    [InlineData("conv_wasym_stride2")]
    public void OutputAndKlMatchPyTorch(string name)
    {
        var r = Load(name);
        var x = ReferenceJson.ToTensor(r.GetProperty("x"));
        var weight = ReferenceJson.ToTensor(r.GetProperty("weight"));
        var rank = r.GetProperty("rank").GetInt32();
        var kappa = r.GetProperty("kappa").GetDouble();
        var spec = LayerAsymmetry.Entries("layer", 1, kappa);
        var state = new Dictionary<string, Tensor>
        {
            ["weight"] = weight, ["mask"] = ReferenceJson.ToTensor(r.GetProperty("mask")), ["normal_mask"] = ReferenceJson.ToTensor(r.GetProperty("normal_mask")),
        };
        var hasBias = r.TryGetProperty("bias", out var bias);
        if (hasBias) state["bias"] = ReferenceJson.ToTensor(bias);
        var noise = NoiseSource.Replay(F(r, "eps_diag"), F(r, "eps_rank"));
        var options = new ElrgOptions { Rank = rank, LearnDiagonal = true, PriorPrecision = r.GetProperty("prior_precision").GetDouble() };
        Module layer;
        ElrgPosterior posterior;
        if (r.GetProperty("conv").GetBoolean())
        {
            var s = weight.Shape;
            var conv = new WAsymConv2d(s[1], s[0], s[2], spec, 0, "layer", new Rng(0), r.GetProperty("stride").GetInt32(), r.GetProperty("padding").GetInt32());
            conv.LoadStateDict(state);
            posterior = new ElrgConv2d("layer", conv, options, noise);
            conv.Noise = posterior;
            layer = conv;
        }
        else
        {
            var linear = new WAsymLinear(weight.Shape[1], weight.Shape[0], spec, 0, "layer", new Rng(0), hasBias);
            linear.LoadStateDict(state);
            posterior = new ElrgLinear("layer", linear, options, noise);
            linear.Noise = posterior;
            layer = linear;
        }
        F(r, "v_weight").CopyTo(posterior.VWeight!.Span);
        F(r, "log_s_weight").CopyTo(posterior.LogSWeight!.Span);
        if (hasBias)
        {
            F(r, "v_bias").CopyTo(posterior.VBias!.Span);
            F(r, "log_s_bias").CopyTo(posterior.LogSBias!.Span);
        }
        ReferenceJson.AssertClose(F(r, "output"), layer.Forward(x).ToArray(), 2e-5, name + " output", 1e-4);
        var kl = r.GetProperty("kl").GetDouble();
        Assert.Equal(kl, posterior.Kl().Item(), 1e-5 * Math.Abs(kl) + 1e-5);
    }
}
