using System.Globalization;
using System.Text.Json;
using AsymNet.NN.Checkpoints;

namespace AsymNet.NN.Optim;

/// <summary>
/// An optimizer's state as a safetensors file beside the model checkpoint, so training resumes bit for bit: one
/// tensor per parameter and slot (<c>&lt;parameter&gt;.&lt;slot&gt;</c>, e.g. <c>fc1.weight.exp_avg</c>, PyTorch's slot
/// names), and in the metadata the optimizer's type, its step count and its per-parameter step counts. Loading checks
/// the type and every parameter's name and size, and names the file in any error.
/// </summary>
public static class OptimizerState
{
    public static void Save(string path, Optimizer optimizer)
    {
        var tensors = new List<SafetensorsTensor>();
        foreach (var (slot, buffers) in optimizer.StateSlots)
            for (var i = 0; i < buffers.Length; i++)
                if (buffers[i] is { } b)
                    tensors.Add(SafetensorsTensor.FromFloats($"{optimizer.Parameters[i].Name}.{slot}", optimizer.Parameters[i].Value.Shape, b));
        var metadata = new Dictionary<string, string>
        {
            ["optimizer"] = optimizer.GetType().Name,
            ["step_count"] = optimizer.StepCount.ToString(CultureInfo.InvariantCulture),
            ["parameters"] = JsonSerializer.Serialize(optimizer.Parameters.Select(p => p.Name)),
        };
        if (optimizer.ParameterSteps is { } steps) metadata["parameter_steps"] = JsonSerializer.Serialize(steps);
        Safetensors.Save(path, tensors, metadata);
    }

    public static void Load(string path, Optimizer optimizer)
    {
        var file = Safetensors.Load(path);
        string Meta(string key) => file.Metadata.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"{path}: no '{key}' in the metadata; not an optimizer state file.");
        var type = Meta("optimizer");
        if (type != optimizer.GetType().Name)
            throw new InvalidDataException($"{path} holds {type} state, but this run's optimizer is {optimizer.GetType().Name}.");
        var names = JsonSerializer.Deserialize<string[]>(Meta("parameters")) ?? [];
        if (!names.SequenceEqual(optimizer.Parameters.Select(p => p.Name)))
            throw new InvalidDataException($"{path} is the state of other parameters ({names.Length} named there, {optimizer.Parameters.Count} here).");
        foreach (var (slot, buffers) in optimizer.StateSlots)
            for (var i = 0; i < buffers.Length; i++)
            {
                var p = optimizer.Parameters[i];
                if (!file.TryGet($"{p.Name}.{slot}", out var t)) { buffers[i] = null; continue; }
                var values = t.ToFloatArray();
                if (values.Length != p.Value.Length)
                    throw new InvalidDataException($"{path}: {p.Name}.{slot} has {values.Length} values, the parameter {p.Value.Length}.");
                buffers[i] = values;
            }
        optimizer.StepCount = long.Parse(Meta("step_count"), CultureInfo.InvariantCulture);
        if (optimizer.ParameterSteps is { } steps)
        {
            var saved = JsonSerializer.Deserialize<long[]>(Meta("parameter_steps")) ?? [];
            if (saved.Length != steps.Length) throw new InvalidDataException($"{path}: {saved.Length} parameter step counts for {steps.Length} parameters.");
            saved.CopyTo(steps, 0);
        }
    }
}
