using AsymNet.Data;
using AsymNet.NN.Models;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace AsymNet.NN.Training;

/// <summary>A batch of images with their class labels.</summary>
public readonly record struct LabeledImages(Tensor Images, int[] Labels);

/// <summary>Image classification: cross-entropy of the logits (with the options' label smoothing).</summary>
public sealed class ImageClassification : ITrainingObjective<LabeledImages>
{
    public static readonly ImageClassification Instance = new();

    public (Tensor Loss, int Correct) Loss(Model model, LabeledImages batch, TrainOptions options)
    {
        var logits = model.Forward(batch.Images);
        return (Ops.CrossEntropy(logits, batch.Labels, options.LabelSmoothing), CountCorrect(logits, batch.Labels));
    }

    public int Count(LabeledImages batch) => batch.Labels.Length;

    /// <summary>Rows whose largest logit (first one on ties, as torch.argmax) is the label.</summary>
    public static int CountCorrect(Tensor logits, ReadOnlySpan<int> labels)
    {
        var c = logits.Shape[1];
        var span = logits.Span;
        var hits = 0;
        for (var i = 0; i < labels.Length; i++)
            if (TensorPrimitives.IndexOfMax(span.Slice(i * c, c)) == labels[i]) hits++;
        return hits;
    }
}

/// <summary>The epochs of an <see cref="ImageLoader"/> under <see cref="ImageClassification"/>.</summary>
public sealed class ImageTrainingData(ImageLoader loader) : ITrainingData<LabeledImages>
{
    public int StepsPerEpoch => loader.BatchCount;

    public IEnumerable<LabeledImages> Epoch() => loader.Epoch().Select(b => new LabeledImages(b.Images, b.Labels));

    public (Tensor Loss, int Correct) Loss(Model model, LabeledImages batch, TrainOptions options) =>
        ImageClassification.Instance.Loss(model, batch, options);

    public int Count(LabeledImages batch) => batch.Labels.Length;
}
