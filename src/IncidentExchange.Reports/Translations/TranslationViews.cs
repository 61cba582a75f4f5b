using System.Text.Json.Nodes;
using IncidentExchange.Contracts.Translation;
using IncidentExchange.Reports.Data;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Reports.Translations;

/// <summary>
/// What a reader is shown of a report's translations: for each translated field present in the document they may see,
/// and each other language, the rendering of exactly that text — an officer's review before the machine's — labelled
/// with where it came from. On the home side, a field whose text changed shows its last translation marked
/// <c>stale</c> until the new one arrives; the counterpart only ever sees renderings of the text released to it.
/// </summary>
public static class TranslationViews
{
    /// <summary>Fields that are translated: controlled vocabulary first, then free text.</summary>
    public static readonly string[] Fields = ["category", "kind", "title", "summary", "timeline.mitigations"];

    public const string Reviewed = "human";

    public sealed record TranslationView(
        string Field,
        string SourceLanguage,
        string TargetLanguage,
        string? Text,
        string Status,
        string Engine,
        string? Model,
        DateTimeOffset? TranslatedAt,
        string? ReviewedBy,
        bool Stale,
        string SourceHash,
        IReadOnlyList<string> GlossaryNotes,
        IReadOnlyList<EarlierRendering> History);

    /// <summary>A rendering of the same text that another replaced (the machine's, once an officer corrected it).</summary>
    public sealed record EarlierRendering(string? Text, string Status, string Engine, string? Model, string? ReviewedBy, DateTimeOffset? At);

    /// <summary>The text of a field in a report document (a dotted path), or null when the document has none.</summary>
    public static string? TextOf(JsonNode document, string field)
    {
        JsonNode? node = document;
        foreach (var part in field.Split('.'))
            node = node is JsonObject obj ? obj[part] : null;
        return node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;
    }

    public static string Hash(string text) => FieldTranslation.HashOf(text);

    public static async Task<IReadOnlyList<TranslationView>> ForAsync(ReportsDb db, Guid reportId, JsonNode document, bool showStale, CancellationToken cancellationToken)
    {
        var (rows, reviews) = await LoadAsync(db, reportId, cancellationToken);
        var sources = Fields.Select(field => (Field: field, Text: TextOf(document, field))).Where(s => s.Text is not null).Select(s => (s.Field, s.Text!));
        return Build(rows, reviews, sources, TextOf(document, "language") ?? "", showStale);
    }

    /// <summary>The field under which a follow-up message's body is translated.</summary>
    public static string ThreadField(Guid messageId) => $"thread:{messageId}";

    /// <summary>The translations of follow-up messages' bodies, by message id (a message's text never changes: never stale).</summary>
    public static async Task<IReadOnlyDictionary<Guid, IReadOnlyList<TranslationView>>> ForMessagesAsync(
        ReportsDb db, Guid reportId, IReadOnlyList<ThreadMessage> messages, CancellationToken cancellationToken)
    {
        var (rows, reviews) = await LoadAsync(db, reportId, cancellationToken);
        return messages.ToDictionary(m => m.Id, m => Build(rows, reviews, [(ThreadField(m.Id), m.Body)], m.Language, showStale: false));
    }

    private static async Task<(List<ReportTranslation> Rows, List<TranslationReview> Reviews)> LoadAsync(ReportsDb db, Guid reportId, CancellationToken cancellationToken) =>
        (await db.Translations.AsNoTracking().Where(t => t.ReportId == reportId).ToListAsync(cancellationToken),
         await db.TranslationReviews.AsNoTracking().Where(r => r.ReportId == reportId).ToListAsync(cancellationToken));

    private static IReadOnlyList<TranslationView> Build(
        List<ReportTranslation> rows, List<TranslationReview> reviews, IEnumerable<(string Field, string Text)> sources, string sourceLanguage, bool showStale)
    {
        var views = new List<TranslationView>();
        foreach (var (field, source) in sources)
        {
            var hash = Hash(source);
            var targets = rows.Where(r => r.Field == field).Select(r => r.TargetLanguage)
                .Concat(reviews.Where(r => r.Field == field).Select(r => r.TargetLanguage)).Distinct().Order(StringComparer.Ordinal);
            foreach (var target in targets)
            {
                var forField = rows.Where(r => r.Field == field && r.TargetLanguage == target).ToList();
                var reviewed = reviews.Where(r => r.Field == field && r.TargetLanguage == target).ToList();
                var current = View(field, sourceLanguage, target, hash, forField.SingleOrDefault(r => r.SourceHash == hash),
                    reviewed.Where(r => r.SourceHash == hash).ToList(), stale: false);
                if (showStale && current?.Text is null)
                {
                    // The newest rendering of an earlier text stands in, marked stale, until this text's arrives.
                    var earlier = forField.Select(r => r.SourceHash).Concat(reviewed.Select(r => r.SourceHash)).Where(h => h != hash).Distinct()
                        .Select(h => View(field, sourceLanguage, target, h, forField.SingleOrDefault(r => r.SourceHash == h),
                            reviewed.Where(r => r.SourceHash == h).ToList(), stale: true))
                        .Where(v => v?.Text is not null)
                        .MaxBy(v => v!.TranslatedAt);
                    current = earlier ?? current;
                }
                if (current is not null)
                    views.Add(current);
            }
        }
        return views;
    }

    /// <summary>One text's rendering: the latest review if any (earlier ones and the machine's in its history), else the machine's.</summary>
    private static TranslationView? View(
        string field, string sourceLanguage, string target, string hash, ReportTranslation? row, List<TranslationReview> reviews, bool stale)
    {
        var ordered = reviews.OrderByDescending(r => r.ReviewedAt).ToList();
        if (ordered.Count == 0)
            return row is null ? null : new TranslationView(field, row.SourceLanguage, target, row.Text, row.Status, row.Engine, row.Model,
                row.TranslatedAt, null, stale, hash, row.GlossaryNotes, []);
        var latest = ordered[0];
        var history = ordered.Skip(1).Select(r => new EarlierRendering(r.Text, Reviewed, Reviewed, null, r.ReviewedBy, r.ReviewedAt)).ToList();
        if (row is not null)
            history.Add(new EarlierRendering(row.Text, row.Status, row.Engine, row.Model, null, row.TranslatedAt));
        return new TranslationView(field, sourceLanguage, target, latest.Text, Reviewed, Reviewed, null,
            latest.ReviewedAt, latest.ReviewedBy, stale, hash, [], history);
    }
}
