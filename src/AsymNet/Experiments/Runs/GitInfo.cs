namespace AsymNet.Experiments.Runs;

/// <summary>
/// The git commit of the checkout a run was started from, read from the .git folder (no git process): the nearest
/// .git above the working directory or the program's directory, following worktree "gitdir:" files, loose refs and
/// packed-refs. Null fields when not in a checkout.
/// </summary>
public sealed record GitInfo(string? Commit, string? Branch)
{
    public static GitInfo Find() => Find(Environment.CurrentDirectory, AppContext.BaseDirectory);

    /// <summary>The commit of the first checkout found above one of <paramref name="starts"/>.</summary>
    public static GitInfo Find(params string[] starts)
    {
        foreach (var start in starts)
        {
            try
            {
                if (FindGitDir(start) is { } gitDir) return Read(gitDir);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return new GitInfo(null, null);
    }

    private static string? FindGitDir(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var dotGit = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(dotGit)) return dotGit;
            if (File.Exists(dotGit))
            {
                var line = File.ReadLines(dotGit).FirstOrDefault() ?? "";
                if (line.StartsWith("gitdir:", StringComparison.Ordinal))
                    return Path.GetFullPath(Path.Combine(dir.FullName, line["gitdir:".Length..].Trim()));
            }
        }
        return null;
    }

    private static GitInfo Read(string gitDir)
    {
        var head = File.ReadAllText(Path.Combine(gitDir, "HEAD")).Trim();
        if (!head.StartsWith("ref:", StringComparison.Ordinal)) return new GitInfo(head, null);
        var refName = head["ref:".Length..].Trim();
        // A worktree's refs live in the common git folder.
        var common = File.Exists(Path.Combine(gitDir, "commondir"))
            ? Path.GetFullPath(Path.Combine(gitDir, File.ReadAllText(Path.Combine(gitDir, "commondir")).Trim()))
            : gitDir;
        var branch = refName.StartsWith("refs/heads/", StringComparison.Ordinal) ? refName["refs/heads/".Length..] : refName;
        foreach (var dir in new[] { gitDir, common })
        {
            var loose = Path.Combine(dir, refName);
            if (File.Exists(loose)) return new GitInfo(File.ReadAllText(loose).Trim(), branch);
        }
        var packed = Path.Combine(common, "packed-refs");
        if (File.Exists(packed))
            foreach (var line in File.ReadLines(packed))
            {
                var parts = line.Split(' ');
                if (parts.Length == 2 && parts[1] == refName) return new GitInfo(parts[0], branch);
            }
        return new GitInfo(null, branch);
    }
}
