using System.Globalization;

namespace IncidentExchange.Triage.Grouping;

/// <summary>How likely it is that two reports describe the same incident, and why.</summary>
public sealed record Similarity(double Score, string Reason);

/// <summary>
/// Scores a new report against one already linked to an incident. A shared indicator hash is decisive; otherwise the
/// score (at most 0.95) adds up text similarity (pg_trgm, same language only in practice), shared concepts and names (which also meet
/// across languages), the same model or developer and the same category, and fades with the time between them.
/// The weights and <see cref="Threshold"/> were set on the evaluation set in ops/eval/grouping (see its README).
/// </summary>
public static class LinkScore
{
    /// <summary>A report joins the best-scoring incident when its score reaches this; otherwise it opens a new one.</summary>
    public const double Threshold = 0.45;

    public const double MaxWithoutIndicator = 0.95;

    /// <summary>How far apart in time two reports may be and still be compared.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    /// <summary>The score of <see cref="Compare"/> without its reasons: what hundreds of candidates are ranked by.</summary>
    public static double Score(ReportFeatures report, ReportFeatures other, double textSimilarity) =>
        Weigh(report, other, textSimilarity).Score;

    public static Similarity Compare(ReportFeatures report, ReportFeatures other, double textSimilarity)
    {
        var e = Weigh(report, other, textSimilarity);
        if (e.SharesIndicator)
            return new Similarity(e.Score, "shares an indicator hash");

        var reasons = new List<string> { $"text similarity {F(textSimilarity)}" };
        if (e.SharedConcepts.Count > 0)
            reasons.Add($"shared concepts {string.Join(", ", e.SharedConcepts)}");
        if (e.SharedNames.Count > 0)
            reasons.Add($"shared names {string.Join(", ", e.SharedNames)}");
        if (e.SameModel)
            reasons.Add($"same model ({other.ModelName})");
        else if (e.SameFamily)
            reasons.Add($"same model family ({other.ModelName})");
        else if (e.SameDeveloper)
            reasons.Add("same developer");
        else if (e.ModelsDiffer)
            reasons.Add("different models");
        if (report.Category == other.Category)
            reasons.Add("same category");
        reasons.Add($"{F(e.Days)} days apart");
        return new Similarity(e.Score, string.Join("; ", reasons));
    }

    private sealed record Evidence(
        double Score, bool SharesIndicator, bool SameModel, bool SameFamily, bool SameDeveloper, bool ModelsDiffer,
        List<string> SharedNames, List<string> SharedConcepts, double Days);

    private static Evidence Weigh(ReportFeatures report, ReportFeatures other, double textSimilarity)
    {
        if (report.Indicators.Intersect(other.Indicators).Any())
            return new Evidence(1.0, true, false, false, false, false, [], [], 0);

        var sameModel = report.ModelKey is not null && report.ModelKey == other.ModelKey;
        // One name the start of the other: a family and one of its versions ("LLaMA" and "LLaMA 65B", "Claude" and "Claude 2").
        var sameFamily = !sameModel && report.ModelKey is { } a && other.ModelKey is { } b && (a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal));
        var sameDeveloper = report.DeveloperKey is not null && report.DeveloperKey == other.DeveloperKey;
        var modelsDiffer = report.ModelKey is not null && other.ModelKey is not null && !sameModel && !sameFamily;
        var namesOfModels = new[] { report.ModelKey, report.DeveloperKey, other.ModelKey, other.DeveloperKey };
        var sharedNames = report.Names.Intersect(other.Names).Where(n => !namesOfModels.Contains(TextFeatures.KeyOf(n))).ToList();
        var sharedConcepts = report.Concepts.Intersect(other.Concepts).ToList();
        var allConcepts = report.Concepts.Union(other.Concepts).Count();
        var conceptOverlap = allConcepts == 0 ? 0 : (double)sharedConcepts.Count / allConcepts;
        var days = Math.Abs((report.OccurredAt - other.OccurredAt).TotalDays);
        var fade = days <= 3 ? 1.0 : Math.Max(0, 1 - 0.5 * (days - 3) / (Window.TotalDays - 3));

        var evidence = 0.9 * textSimilarity
                       + 0.35 * conceptOverlap
                       + 0.3 * Math.Min(1, sharedNames.Count / 2.0)
                       + (sameModel ? 0.2 : sameFamily ? 0.15 : sameDeveloper ? 0.1 : 0)
                       + (report.Category == other.Category ? 0.1 : 0);
        // Only a shared indicator is certain: any other evidence stays below it, so that it wins a tie.
        var score = Math.Clamp(fade * evidence - (modelsDiffer ? 0.1 : 0), 0, MaxWithoutIndicator);
        return new Evidence(Math.Round(score, 3), false, sameModel, sameFamily, sameDeveloper, modelsDiffer, sharedNames, sharedConcepts, days);
    }

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
