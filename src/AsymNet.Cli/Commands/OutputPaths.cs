namespace AsymNet.Cli.Commands;

/// <summary>
/// Checks an output folder or file before a command does any work, so a path that cannot be used is a usage error
/// (exit code 2) that says what is wrong with it, and nothing is created. Writability is probed with a temporary file
/// in the nearest existing folder, deleted at once.
/// </summary>
public static class OutputPaths
{
    /// <summary>A run folder: not a file, and creatable and writable; not empty unless <paramref name="allowNonEmpty"/>.</summary>
    public static void CheckFolder(string path, string option, bool allowNonEmpty = false, string nonEmptyHint = "choose another --out or pass --force")
    {
        var full = Full(path, option);
        if (File.Exists(full)) throw new UsageException($"{option} {path} is a file, not a folder; choose a folder.");
        if (Directory.Exists(full) && !allowNonEmpty && Directory.EnumerateFileSystemEntries(full).Any())
            throw new UsageException($"{option} {path} already exists and is not empty; {nonEmptyHint}.");
        CheckWritable(full, path, option);
    }

    /// <summary>An output file: not a folder, in a folder that can be created and written.</summary>
    public static void CheckFile(string path, string option)
    {
        var full = Full(path, option);
        if (Directory.Exists(full)) throw new UsageException($"{option} {path} is a folder, not a file; name a file.");
        CheckWritable(Path.GetDirectoryName(full)!, path, option);
    }

    private static string Full(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException($"{option} needs a path.");
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new UsageException($"{option} {path} is not a usable path: {e.Message}");
        }
    }

    private static void CheckWritable(string folder, string path, string option)
    {
        var existing = folder;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing)) throw new UsageException($"{option} {path} cannot be created: {existing} is a file.");
            existing = Path.GetDirectoryName(existing) ?? throw new UsageException($"{option} {path} cannot be created: no existing parent folder.");
        }
        var probe = Path.Combine(existing, $".asym-write-test-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} {path} cannot be written: {existing} does not accept new files{(e is UnauthorizedAccessException ? " (permission denied)" : "")}.");
        }
    }
}
