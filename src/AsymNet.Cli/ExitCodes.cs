namespace AsymNet.Cli;

/// <summary>The exit codes of every asym command (docs/cli.md).</summary>
public static class ExitCodes
{
    /// <summary>The command did its work.</summary>
    public const int Success = 0;

    /// <summary>The work failed: missing or damaged data, a diverged run, an unreadable checkpoint, a full disk.</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong: unknown command or option, a value out of range, an unusable --out; nothing was written.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl+C (128 + SIGINT, as a shell reports a killed process); finished work is kept.</summary>
    public const int Interrupted = 130;

    /// <summary>The epilogue of `asym --help`.</summary>
    public const string Help = "Exit codes: 0 success, 1 the work failed, 2 usage error (nothing written), 130 interrupted. " +
                               "Environment: NO_COLOR, ASYM_DATA_DIR, ASYM_ASSETS_DIR, ASYM_THREADS, ASYM_BLAS, ASYM_OPENBLAS_CORETYPE, ASYM_KERNELS, ASYM_DEBUG (docs/cli.md).";
}
