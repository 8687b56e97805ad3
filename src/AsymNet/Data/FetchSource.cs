using System.Security.Cryptography;

namespace AsymNet.Data;

/// <summary>How downloaded files become a dataset folder.</summary>
public enum ArchiveKind
{
    /// <summary>The files are used as downloaded (e.g. MNIST's .gz IDX files, read compressed).</summary>
    None,
    TarGz,
    Zip,
}

/// <summary>An expected digest of a downloaded file: algorithm "MD5" or "SHA256" and lowercase hex.</summary>
public sealed record Checksum(string Algorithm, string Hex)
{
    public static Checksum Md5(string hex) => new("MD5", hex.ToLowerInvariant());
    public static Checksum Sha256(string hex) => new("SHA256", hex.ToLowerInvariant());

    /// <summary>The digest of a file with this checksum's algorithm, lowercase hex.</summary>
    public string Compute(string path)
    {
        using var stream = File.OpenRead(path);
        var hash = Algorithm switch
        {
            "MD5" => MD5.HashData(stream),
            "SHA256" => SHA256.HashData(stream),
            _ => throw new NotSupportedException($"Checksum algorithm {Algorithm}."),
        };
        return Convert.ToHexStringLower(hash);
    }

    public override string ToString() => $"{Algorithm.ToLowerInvariant()} {Hex}";
}

/// <summary>One file to download: its name under the source's base URL and its published checksum.</summary>
public sealed record RemoteFile(string FileName, Checksum Checksum);

/// <summary>
/// Where a dataset comes from and how it is unpacked and checked. <see cref="BaseUrl"/> can be replaced (a
/// mirror, or a loopback server in tests) with a <c>with</c> expression. <see cref="Validate"/> parses the
/// unpacked folder with the dataset's reader before it is published, so a bad archive never becomes a dataset.
/// </summary>
public sealed record FetchSource(
    string BaseUrl,
    IReadOnlyList<RemoteFile> Files,
    ArchiveKind Archive,
    long MaxUnpackedBytes,
    Action<string> Validate,
    string Origin)
{
    public Uri UrlOf(RemoteFile file) => new(BaseUrl.TrimEnd('/') + "/" + file.FileName);
}
