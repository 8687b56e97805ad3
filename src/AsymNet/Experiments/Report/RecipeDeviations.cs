using System.Text.Json.Nodes;

namespace AsymNet.Experiments.Report;

/// <summary>How a run's recipe (its manifest config) differs from the paper's recipe for the same experiment: one line
/// per differing field ("epochs: 1 here, 25 in the paper's recipe"; nested objects as dotted keys), then the recipe's own
/// notes on its reductions.</summary>
public static class RecipeDeviations
{
    public static List<string> Of(JsonObject config, JsonObject paper, IReadOnlySet<string> skip)
    {
        var list = new List<string>();
        Compare(config, paper, "", skip, list);
        list.AddRange(SummaryMarkdownSource.ConfigNotes(config));
        return list;
    }

    private static void Compare(JsonObject config, JsonObject paper, string prefix, IReadOnlySet<string> skip, List<string> list)
    {
        foreach (var (key, value) in config)
        {
            if (key == "notes" || skip.Contains(key) || !paper.ContainsKey(key)) continue;
            var there = paper[key];
            if (value is JsonObject a && there is JsonObject b) Compare(a, b, $"{prefix}{key}.", skip, list);
            else if (!JsonNode.DeepEquals(value, there)) list.Add($"{prefix}{key}: {Show(value)} here, {Show(there)} in the paper's recipe");
        }
    }

    private static string Show(JsonNode? n) => n switch
    {
        null => "none",
        JsonArray a => string.Join(", ", a.Select(Show)),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => n.ToJsonString(),
    };
}
