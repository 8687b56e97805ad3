using AsymNet.NN.Models;
using AsymNet.Tensors;

namespace AsymNet.NN.Checkpoints;

/// <summary>
/// Model checkpoints as safetensors: the state dict under the model's PyTorch-style keys (W-Asym weights hold κF in
/// their fixed entries, the authors' convention) and the <see cref="ModelConfig"/> as JSON in the metadata, so a
/// checkpoint rebuilds its model alone. Files from PyTorch (<c>safetensors.torch.save_file(model.state_dict())</c>
/// with the authors' keys) carry no config; loading them names the architecture with a fallback config.
/// </summary>
public static class Checkpoint
{
    /// <summary>Metadata key of the model config JSON.</summary>
    public const string ConfigKey = "asymnet.model_config";

    /// <summary>Saves <paramref name="model"/> atomically; <paramref name="metadata"/> adds string entries (seeds, epoch, ...).</summary>
    public static void Save(string path, Model model, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt" };
        if (metadata is not null)
            foreach (var (k, v) in metadata) meta[k] = v;
        meta[ConfigKey] = model.Config.ToJson();
        Safetensors.Save(path, model.EffectiveStateDict(), meta);
    }

    /// <summary>The model config stored in a checkpoint, or null when it has none (e.g. saved from PyTorch).</summary>
    public static ModelConfig? ConfigOf(SafetensorsFile file)
    {
        if (!file.Metadata.TryGetValue(ConfigKey, out var json)) return null;
        try
        {
            return ModelConfig.FromJson(json);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or NotSupportedException)
        {
            throw new InvalidDataException($"{file.Source}: metadata '{ConfigKey}' is not a valid model config: {e.Message}", e);
        }
    }

    /// <summary>
    /// Builds the checkpoint's model and loads its state. The stored config is used when present; otherwise
    /// <paramref name="fallback"/> (e.g. a preset named by <c>--model</c>) must describe the architecture.
    /// </summary>
    public static Model Load(string path, ModelConfig? fallback = null) => Load(Safetensors.Load(path), fallback);

    public static Model Load(SafetensorsFile file, ModelConfig? fallback = null)
    {
        var stored = ConfigOf(file);
        if (stored is not null) CheckpointDiagnosis.CheckSizes(file, stored);
        var config = stored ?? fallback ?? throw new InvalidDataException(
            $"{file.Source}: the checkpoint carries no AsymNet model config (metadata '{ConfigKey}'); name the architecture (e.g. --model mlp --variant standard).");
        var model = ModelFactory.Create(config, initSeed: 0);
        try
        {
            LoadInto(model, file);
        }
        catch (InvalidDataException e) when (stored is null)
        {
            // Lead with a one-line diagnosis; the full list of missing and unexpected keys follows.
            throw new InvalidDataException($"{file.Source} does not fit the named architecture ({config.Architecture}, {config.Variant}): " +
                                           $"{CheckpointDiagnosis.GuessArchitecture(file, config)}\nDetails: {e.Message}", e);
        }
        return model;
    }

    /// <summary>
    /// Copies a file's tensors into <paramref name="module"/>. Strict: the keys must be exactly the module's state-dict
    /// keys with equal shapes; every mismatch is listed in one error naming the file. Floating and integer dtypes are
    /// converted to float32.
    /// </summary>
    public static void LoadInto(Module module, SafetensorsFile file)
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var t in file.Tensors) state[t.Name] = t.ToTensor();
        try
        {
            module.LoadStateDict(state);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{file.Source}: {e.Message}", e);
        }
    }
}
