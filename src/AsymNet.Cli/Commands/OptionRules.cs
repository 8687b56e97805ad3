using System.CommandLine;
using System.Globalization;

namespace AsymNet.Cli.Commands;

/// <summary>
/// Range checks on option values, run by the parser: a value out of range is a usage error (exit code 2) naming the
/// option, before the command starts. NaN and infinities are refused wherever a number is expected.
/// </summary>
public static class OptionRules
{
    public static Option<int> AtLeast(this Option<int> option, int min) => Check(option, v => v >= min, $"at least {min}");

    public static Option<int?> AtLeast(this Option<int?> option, int min) => Check(option, v => v is null || v >= min, $"at least {min}");

    /// <summary>A finite number in [min, max] (or (min, max] when <paramref name="aboveMin"/>).</summary>
    public static Option<double> Finite(this Option<double> option, double min = double.MinValue, double max = double.MaxValue, bool aboveMin = false) =>
        Check(option, v => InRange(v, min, max, aboveMin), Range(min, max, aboveMin));

    public static Option<double?> Finite(this Option<double?> option, double min = double.MinValue, double max = double.MaxValue) =>
        Check(option, v => v is null || InRange(v.Value, min, max, false), Range(min, max, false));

    public static Option<float> Finite(this Option<float> option, double min, double max) =>
        Check(option, v => InRange(v, min, max, false), Range(min, max, false));

    private static Option<T> Check<T>(Option<T> option, Func<T, bool> ok, string expected)
    {
        option.Validators.Add(result =>
        {
            T value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return; // not a number at all: the parser reports that itself
            }
            if (!ok(value))
                result.AddError($"{option.Name} must be {expected}, not {Format(value)}.");
        });
        return option;
    }

    private static bool InRange(double v, double min, double max, bool aboveMin) =>
        double.IsFinite(v) && (aboveMin ? v > min : v >= min) && v <= max;

    private static string Range(double min, double max, bool aboveMin) => (min, max) switch
    {
        (double.MinValue, double.MaxValue) => "a finite number",
        (_, double.MaxValue) => $"a finite number {(aboveMin ? ">" : "≥")} {G(min)}",
        _ => $"a number {(aboveMin ? "above" : "from")} {G(min)} to {G(max)}",
    };

    private static string G(double v) => v.ToString("G", CultureInfo.InvariantCulture);

    private static string Format<T>(T value) => value switch
    {
        null => "nothing",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
