using System.Globalization;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;
using AsymNet.NN.Optim;

namespace AsymNet.Experiments.Training;

/// <summary>
/// What a train run keeps after every epoch so that <c>asym train --resume</c> continues it bit for bit: the model as
/// checkpoint.safetensors (its metadata says how many epochs are done) and the optimizer's state as
/// optimizer-&lt;epochs&gt;.safetensors. The optimizer file of the new epoch is written before the checkpoint that
/// names it and the previous one is deleted only after, so a kill at any moment leaves a matching pair.
/// </summary>
public sealed class TrainState(string runDir)
{
    public const string EpochsDoneKey = "epochs_done";

    public string CheckpointPath => Path.Combine(runDir, TrainExperiment.CheckpointFile);

    public string OptimizerPath(int epochsDone) => Path.Combine(runDir, string.Create(CultureInfo.InvariantCulture, $"optimizer-{epochsDone:D4}.safetensors"));

    public void Save(Model model, Optimizer optimizer, int epochsDone, IReadOnlyDictionary<string, string> metadata)
    {
        OptimizerState.Save(OptimizerPath(epochsDone), optimizer);
        Checkpoint.Save(CheckpointPath, model, new Dictionary<string, string>(metadata) { [EpochsDoneKey] = epochsDone.ToString(CultureInfo.InvariantCulture) });
        foreach (var old in Directory.EnumerateFiles(runDir, "optimizer-*.safetensors"))
            if (old != OptimizerPath(epochsDone)) File.Delete(old);
    }

    /// <summary>Loads the last saved epoch into <paramref name="model"/> and <paramref name="optimizer"/>; returns how many
    /// epochs are done. Throws, naming the file, when there is nothing to resume.</summary>
    public int Restore(Model model, Optimizer optimizer)
    {
        if (!File.Exists(CheckpointPath))
            throw new InvalidOperationException($"{runDir} has no {TrainExperiment.CheckpointFile}: no epoch finished, nothing to resume; start the run again without --resume.");
        var file = Safetensors.Load(CheckpointPath);
        if (!file.Metadata.TryGetValue(EpochsDoneKey, out var text) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var done))
            throw new InvalidDataException($"{CheckpointPath} does not say how many epochs are done ('{EpochsDoneKey}'): it was not written by a resumable run.");
        var optimizerFile = OptimizerPath(done);
        if (!File.Exists(optimizerFile))
            throw new InvalidDataException($"{optimizerFile} is missing: the optimizer state of epoch {done} is needed to resume bit for bit.");
        Checkpoint.LoadInto(model, file);
        OptimizerState.Load(optimizerFile, optimizer);
        return done;
    }
}
