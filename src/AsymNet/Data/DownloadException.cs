namespace AsymNet.Data;

/// <summary>A download failed (HTTP error, repeated interruptions) or its checksum did not match.</summary>
public class DownloadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The downloaded bytes are not the published file: the partial download is deleted.</summary>
public sealed class ChecksumMismatchException(string file, Checksum expected, string actual)
    : DownloadException($"{file}: checksum mismatch: expected {expected}, got {expected.Algorithm.ToLowerInvariant()} {actual}. The download was deleted; run the command again.")
{
    public string File { get; } = file;
}
