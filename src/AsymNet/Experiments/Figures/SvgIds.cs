using System.Text.RegularExpressions;

namespace AsymNet.Experiments.Figures;

/// <summary>
/// Renames every id of an SVG document (and its url(#…)/href="#…" references) to prefix0, prefix1, … in order of
/// appearance. Skia numbers clip paths from a process-wide counter, so without this the same figure differs between
/// runs, and two SVGs inlined in one HTML page would share ids.
/// </summary>
public static partial class SvgIds
{
    public static string Renumber(string svg, string prefix)
    {
        var names = new Dictionary<string, string>();
        foreach (Match m in IdAttribute().Matches(svg))
            names.TryAdd(m.Groups[1].Value, prefix + names.Count);
        if (names.Count == 0) return svg;
        svg = IdAttribute().Replace(svg, m => $"id=\"{names[m.Groups[1].Value]}\"");
        return Reference().Replace(svg, m => names.TryGetValue(m.Groups[2].Value, out var n) ? $"{m.Groups[1].Value}#{n}{m.Groups[3].Value}" : m.Value);
    }

    [GeneratedRegex("\\bid=\"([^\"]+)\"")]
    private static partial Regex IdAttribute();

    [GeneratedRegex("(url\\(|href=\")#([^)\"]+)(\\)|\")")]
    private static partial Regex Reference();
}
