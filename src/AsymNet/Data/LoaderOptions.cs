namespace AsymNet.Data;

/// <summary>How an <see cref="ImageLoader"/> batches a dataset.</summary>
public sealed record LoaderOptions
{
    public int BatchSize { get; init; } = 128;

    /// <summary>A fresh random order every epoch (otherwise the index order given).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Skip the last batch when it would be smaller than <see cref="BatchSize"/>.</summary>
    public bool DropLast { get; init; }

    /// <summary>Prepare the next batch on a background thread while the current one is in use.</summary>
    public bool Prefetch { get; init; } = true;

    /// <summary>Per-image augmentation and normalisation; null means normalising with the dataset's statistics.</summary>
    public AugmentationPipeline? Augmentation { get; init; }

    /// <summary>Evaluation settings: sequential, no drop, normalisation only.</summary>
    public static LoaderOptions Eval(int batchSize) => new() { BatchSize = batchSize, Shuffle = false };
}
