namespace AsymNet.Data;

/// <summary>
/// Writes that readers never see half-done: data goes to a temporary name in the same folder, then is renamed
/// over the final name. A crash leaves at most a stray temporary, never a truncated file or folder.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var s = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                write(s);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>A fresh empty folder next to <paramref name="finalDir"/> to assemble its contents in.</summary>
    public static string CreateStagingDirectory(string finalDir)
    {
        var full = Path.GetFullPath(finalDir);
        var parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.partial");
        Directory.CreateDirectory(staging);
        return staging;
    }

    /// <summary>
    /// Renames a fully written staging folder to <paramref name="finalDir"/>. An existing folder is replaced when
    /// <paramref name="replace"/> is set; otherwise, if another process published first, its copy is kept and the
    /// staging folder is deleted. Returns false in that case.
    /// </summary>
    public static bool PublishDirectory(string stagingDir, string finalDir, bool replace)
    {
        if (replace && Directory.Exists(finalDir))
        {
            var old = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(finalDir))!, $".{Path.GetFileName(finalDir)}.{Guid.NewGuid():N}.old");
            Directory.Move(finalDir, old);
            Directory.Move(stagingDir, finalDir);
            Directory.Delete(old, recursive: true);
            return true;
        }
        try
        {
            Directory.Move(stagingDir, finalDir);
            return true;
        }
        catch (IOException) when (Directory.Exists(finalDir))
        {
            Directory.Delete(stagingDir, recursive: true);
            return false;
        }
    }
}
