using System.Formats.Tar;
using System.IO.Compression;

namespace AsymNet.Data;

/// <summary>
/// Unpacks .tar.gz and .zip archives into a folder, accepting only regular files and folders with relative paths
/// that stay inside it, and at most a given number of bytes in total. Any problem (truncated or corrupt archive,
/// hostile entry) is a <see cref="DataFormatException"/> naming the archive, the entry and the decoded offset.
/// </summary>
public static class ArchiveExtractor
{
    public static void Extract(ArchiveKind kind, string archive, string destination, long maxBytes, Action<long>? onBytes = null)
    {
        switch (kind)
        {
            case ArchiveKind.TarGz: ExtractTarGz(archive, destination, maxBytes, onBytes); break;
            case ArchiveKind.Zip: ExtractZip(archive, destination, maxBytes, onBytes); break;
            default:
                File.Copy(archive, Path.Combine(destination, Path.GetFileName(archive)));
                break;
        }
    }

    public static void ExtractTarGz(string archive, string destination, long maxBytes, Action<long>? onBytes = null)
    {
        var written = 0L;
        var index = 0;
        string? current = null;
        using var file = File.OpenRead(archive);
        using var counted = new CountingStream(new GZipStream(file, CompressionMode.Decompress));
        try
        {
            using var tar = new TarReader(counted);
            while (tar.GetNextEntry() is { } entry)
            {
                index++;
                current = entry.Name;
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(SafePath(destination, entry.Name, archive, index));
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        using (var data = entry.DataStream ?? Stream.Null)
                            WriteFile(SafePath(destination, entry.Name, archive, index), data, entry.Length, maxBytes, ref written, archive, index, onBytes);
                        break;
                    case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes:
                        break;
                    default:
                        throw new DataFormatException(archive, Where(index, entry.Name),
                            $"entry of type {entry.EntryType}; only regular files and folders are accepted");
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new DataFormatException(archive, $"{Where(index, current)}, decoded byte {counted.Position}",
                $"corrupt or truncated tar.gz archive ({e.Message})", e);
        }
    }

    public static void ExtractZip(string archive, string destination, long maxBytes, Action<long>? onBytes = null)
    {
        var written = 0L;
        var index = 0;
        string? current = null;
        try
        {
            using var zip = ZipFile.OpenRead(archive);
            foreach (var entry in zip.Entries)
            {
                index++;
                current = entry.FullName;
                var unixType = (entry.ExternalAttributes >> 16) & 0xF000;
                if (unixType is not 0 and not 0x8000 and not 0x4000)
                    throw new DataFormatException(archive, Where(index, entry.FullName),
                        "entry is a link or special file; only regular files and folders are accepted");
                var target = SafePath(destination, entry.FullName, archive, index);
                if (entry.FullName.EndsWith('/'))
                {
                    Directory.CreateDirectory(target);
                    continue;
                }
                using var data = entry.Open();
                WriteFile(target, data, entry.Length, maxBytes, ref written, archive, index, onBytes);
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new DataFormatException(archive, Where(index, current), $"corrupt or truncated zip archive ({e.Message})", e);
        }
    }

    /// <summary>The full path for an entry, or an error when the name is absolute or climbs out of the destination.</summary>
    public static string SafePath(string destination, string entryName, string archive, int index)
    {
        var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        var name = entryName.Replace('\\', '/').TrimEnd('/');
        if (name.Length == 0 || name.StartsWith('/') || name.Contains('\0') || name.Split('/').Any(p => p == ".."))
            throw new DataFormatException(archive, Where(index, entryName), "unsafe entry name (empty, absolute or containing '..')");
        var full = Path.GetFullPath(Path.Combine(root, name));
        if (!full.StartsWith(root, StringComparison.Ordinal))
            throw new DataFormatException(archive, Where(index, entryName), "entry would be written outside the destination folder");
        return full;
    }

    private static void WriteFile(string path, Stream data, long declared, long maxBytes, ref long written, string archive, int index, Action<long>? onBytes)
    {
        if (declared < 0 || written + declared > maxBytes)
            throw new DataFormatException(archive, Where(index, Path.GetFileName(path)),
                $"entry of {declared} bytes exceeds the {maxBytes}-byte limit for this dataset");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        var buffer = new byte[1 << 16];
        var copied = 0L;
        int n;
        while ((n = data.Read(buffer)) > 0)
        {
            copied += n;
            if (copied > declared)
                throw new DataFormatException(archive, Where(index, Path.GetFileName(path)), $"entry holds more than its declared {declared} bytes");
            output.Write(buffer, 0, n);
            onBytes?.Invoke(written + copied);
        }
        if (copied != declared)
            throw new DataFormatException(archive, Where(index, Path.GetFileName(path)), $"entry ends after {copied} of its {declared} bytes");
        written += copied;
    }

    private static string Where(int index, string? name) =>
        index == 0 ? "before the first entry" : name is null ? $"entry {index}" : $"entry {index} '{name}'";
}
