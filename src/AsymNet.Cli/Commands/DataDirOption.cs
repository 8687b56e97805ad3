using System.CommandLine;
using AsymNet.Data;

namespace AsymNet.Cli.Commands;

/// <summary>The shared <c>--data-dir</c> option (falls back to ASYM_DATA_DIR, then the default home, see <see cref="DataPaths"/>).</summary>
public static class DataDirOption
{
    public static Option<string?> Create() => new("--data-dir")
    {
        Description = $"Data directory for downloads and caches (default: ${DataPaths.DataDirVariable}, else .asym/data of the checkout, else ~/.asym/data).",
    };

    public static DataPaths Resolve(ParseResult result, Option<string?> option) => DataPaths.Resolve(result.GetValue(option));
}
