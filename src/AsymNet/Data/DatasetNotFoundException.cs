namespace AsymNet.Data;

/// <summary>A dataset is not installed where AsymNet looks; the message says where it looked and how to get it.</summary>
public sealed class DatasetNotFoundException(string dataset, string detail)
    : Exception($"Dataset '{dataset}' is not available: {detail}.")
{
    public string Dataset { get; } = dataset;
}
