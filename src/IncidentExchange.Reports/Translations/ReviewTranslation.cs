using System.Security.Claims;
using System.Text.Json.Nodes;
using IncidentExchange.Reports.Data;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Reports.Translations;

/// <summary>
/// <c>PUT /api/v1/reports/{id}/translations/{field}/{language}</c>: a contact-point officer corrects (or, where no engine
/// rendered it, writes) the translation of a field. The correction is shown as reviewed by them; the machine's stays in
/// the history. Officers of the home party may review any field; the counterpart's officers the fields released to them.
/// The request names the source text it translates (<c>sourceHash</c>, as the report view gives it): if the text has
/// changed since, the review is refused (409) rather than attached to a text the officer did not read.
/// </summary>
public static class ReviewTranslation
{
    public sealed record Request(string? Text, string? SourceHash);

    public const int MaxLength = 20_000;

    private static readonly IReadOnlySet<string> Languages = new HashSet<string> { "en", "zh-Hans" };

    public static RouteGroupBuilder MapReviewTranslation(this RouteGroupBuilder group)
    {
        group.MapPut("/{id:guid}/translations/{field}/{language}", Handle).RequireAuthorization();
        return group;
    }

    public static async Task<IResult> Handle(
        Guid id, string field, string language, Request request, ClaimsPrincipal user, ReportsDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var report = await db.Reports.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (report is null)
            return ReportProblems.NotFound();

        JsonNode? document = null;
        if (ReportAccess.IsHome(user, report))
            document = JsonNode.Parse(await db.Versions.AsNoTracking()
                .Where(v => v.ReportId == id && v.Number == report.Version).Select(v => v.Document).SingleAsync(cancellationToken));
        else if (ReportAccess.IsCounterpartContactPoint(user, report))
        {
            var party = user.FindFirstValue(PlatformClaims.Party);
            var view = await db.Releases.AsNoTracking().Where(r => r.ReportId == id && r.ToParty == party)
                .OrderByDescending(r => r.ReleasedAt).Select(r => r.View).FirstOrDefaultAsync(cancellationToken);
            document = view is null ? null : JsonNode.Parse(view);
        }
        if (document is null)
            return ReportProblems.NotFound();
        if (!user.IsInRole(Roles.NcpOfficer))
            return ReportProblems.Forbidden("Only contact-point officers review translations.");

        var errors = new Dictionary<string, string[]>();
        var sourceLanguage = TranslationViews.TextOf(document, "language");
        if (!TranslationViews.Fields.Contains(field))
            errors["field"] = [$"field must be one of: {string.Join(", ", TranslationViews.Fields)}."];
        if (!Languages.Contains(language) || language == sourceLanguage)
            errors["language"] = [$"language must be a language of the exchange other than the report's ({sourceLanguage})."];
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > MaxLength)
            errors["text"] = [$"text is required, at most {MaxLength} characters."];
        if (string.IsNullOrWhiteSpace(request.SourceHash))
            errors["sourceHash"] = ["sourceHash is required: the source text's hash, as the report view gives it."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The review is not valid");

        if (TranslationViews.TextOf(document, field) is not { } source)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such field",
                detail: $"The report as you see it has no {field}.");
        var hash = TranslationViews.Hash(source);
        if (!string.Equals(hash, request.SourceHash, StringComparison.OrdinalIgnoreCase))
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The source text has changed",
                detail: $"The {field} you reviewed is no longer the one in the report. Read the report again and review its current text.");

        var now = clock.GetUtcNow();
        db.TranslationReviews.Add(new TranslationReview
        {
            Id = Guid.CreateVersion7(now), ReportId = id, Field = field, TargetLanguage = language, SourceHash = hash,
            Text = request.Text!.Trim(), ReviewedBy = user.SubjectOf(), ReviewerParty = user.FindFirstValue(PlatformClaims.Party)!, ReviewedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);

        var shown = (await TranslationViews.ForAsync(db, id, document, showStale: false, cancellationToken))
            .Single(t => t.Field == field && t.TargetLanguage == language);
        return TypedResults.Ok(shown);
    }
}
