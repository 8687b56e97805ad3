using AsymNet.NN.Models;

namespace AsymNet.Experiments.Lmc.Tuning;

/// <summary>One grid cell of one kind of network over its finished search pairs: the mean validation midpoint barrier
/// of the kind's own variant (what is minimised) and the mean validation accuracy of its networks.</summary>
public sealed record LmcTuneCell(LmcHyperparameters Values, int Pairs, int DivergedPairs, double ValidationBarrier, double ValidationAccuracy);

/// <summary>The choice of one kind of network: the cell with the lowest barrier, and the untuned cell for comparison.</summary>
public sealed record LmcTuneChoice(Variant Family, LmcTuneCell Chosen, LmcTuneCell? Default);

/// <summary>
/// The paper's rule (E.1.1, docs/paper.md#lmc-mlp-tuning): per kind of network, the cell with the lowest mean
/// validation barrier. A cell counts only when all its pairs finished and none diverged; ties go to the first cell in
/// grid order. A kind has no choice until every cell of it has finished.
/// </summary>
public static class LmcTuneSelection
{
    /// <summary>The cells of <paramref name="family"/> in grid order, from the finished trials.</summary>
    public static IReadOnlyList<LmcTuneCell> Cells(LmcTuneRecipe recipe, IReadOnlyList<LmcTuneTrialResult> finished, Variant family)
    {
        var primary = LmcTuneRecipe.Primary(family);
        return [.. recipe.Grid.Cells(family).Select(values =>
        {
            var trials = finished.Where(t => t.Values == values && t.Pair < recipe.SearchPairs).ToList();
            var ok = trials.Where(t => !t.Diverged).ToList();
            return new LmcTuneCell(values, trials.Count, trials.Count - ok.Count,
                ok.Count == 0 ? double.NaN : ok.Average(t => t.Barrier(primary) ?? double.NaN),
                ok.Count == 0 ? double.NaN : ok.Average(t => t.Accuracy));
        })];
    }

    /// <summary>The choice for <paramref name="family"/>, or null while some of its cells are unfinished or when every
    /// cell has a diverged network (<see cref="ChooseAll"/> says which).</summary>
    public static LmcTuneChoice? Choose(LmcTuneRecipe recipe, IReadOnlyList<LmcTuneTrialResult> finished, Variant family)
    {
        var cells = Cells(recipe, finished, family);
        if (cells.Any(c => c.Pairs < recipe.SearchPairs)) return null;
        var chosen = cells.Where(c => c.DivergedPairs == 0 && double.IsFinite(c.ValidationBarrier)).MinBy(c => c.ValidationBarrier);
        return chosen is null ? null : new LmcTuneChoice(family, chosen, cells.FirstOrDefault(c => c.Values == recipe.Defaults(family)));
    }

    /// <summary>Every kind's choice, or null while any kind is unfinished or has no usable cell (<see cref="AllDiverged"/>).</summary>
    public static IReadOnlyList<LmcTuneChoice>? ChooseAll(LmcTuneRecipe recipe, IReadOnlyList<LmcTuneTrialResult> finished)
    {
        var choices = recipe.Families.Select(f => Choose(recipe, finished, f)).ToList();
        return choices.Any(c => c is null) ? null : [.. choices.Select(c => c!)];
    }

    /// <summary>The kinds whose search is finished and every cell of which has a diverged network (no choice possible).</summary>
    public static IReadOnlyList<Variant> AllDiverged(LmcTuneRecipe recipe, IReadOnlyList<LmcTuneTrialResult> finished) =>
        [.. recipe.Families.Where(f => Cells(recipe, finished, f) is var cells && cells.All(c => c.Pairs == recipe.SearchPairs && c.DivergedPairs > 0))];
}
