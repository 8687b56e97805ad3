namespace AsymNet.Tensors;

/// <summary>
/// The commit of the checkout a program runs from, read from the .git files (no git process): HEAD, a loose ref or
/// packed-refs, following a worktree's "gitdir:" file to the common directory.
/// </summary>
public static class GitCommit
{
    /// <summary>The 40-hex commit of the nearest checkout above <paramref name="start"/>, or null when there is none.</summary>
    public static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var dotGit = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(dotGit)) return Resolve(dotGit);
            if (File.Exists(dotGit))
            {
                var line = File.ReadAllText(dotGit).Trim();
                if (!line.StartsWith("gitdir:", StringComparison.Ordinal)) return null;
                var gitDir = Path.GetFullPath(line[7..].Trim(), dir.FullName);
                return Resolve(gitDir);
            }
        }
        return null;
    }

    /// <summary>The commit of the checkout around the current directory, else around the program's own files.</summary>
    public static string? OfThisProcess() => Find(Environment.CurrentDirectory) ?? Find(AppContext.BaseDirectory);

    private static string? Resolve(string gitDir)
    {
        try
        {
            var head = File.ReadAllText(Path.Combine(gitDir, "HEAD")).Trim();
            if (!head.StartsWith("ref:", StringComparison.Ordinal)) return IsHash(head) ? head : null;
            var name = head[4..].Trim();
            var commonFile = Path.Combine(gitDir, "commondir");
            var common = File.Exists(commonFile) ? Path.GetFullPath(File.ReadAllText(commonFile).Trim(), gitDir) : gitDir;
            foreach (var root in new[] { gitDir, common })
            {
                var loose = Path.Combine(root, name);
                if (File.Exists(loose) && File.ReadAllText(loose).Trim() is var hash && IsHash(hash)) return hash;
            }
            var packed = Path.Combine(common, "packed-refs");
            if (File.Exists(packed))
                foreach (var line in File.ReadLines(packed))
                    if (line.EndsWith(" " + name, StringComparison.Ordinal) && IsHash(line[..40])) return line[..40];
            return null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsHash(string s) => s.Length == 40 && s.All(Uri.IsHexDigit);
}
