using System.Security.Claims;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Reports.Data;
using IncidentExchange.Reports.Reading;
using IncidentExchange.Reports.Translations;
using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Reports.Questions;

/// <summary>
/// Follow-up questions on a report, threaded. <c>POST /{id}/threads</c> opens a thread with its first message,
/// <c>GET /{id}/threads</c> lists the threads the caller is part of, <c>POST /{id}/threads/{threadId}/messages</c>
/// answers. A <c>counterpart</c> thread is between the two parties' contact points and needs a release to the
/// counterpart; a <c>lab</c> thread is between the home contact point and the filing organisation. Nobody else sees a
/// thread, or learns that it exists.
/// </summary>
public static class QuestionThreads
{
    public sealed record OpenRequest(string? With, string? Body, string? Language);

    public sealed record MessageRequest(string? Body, string? Language);

    /// <summary>A message, with its body's translations (field <c>thread:{id}</c>, as in the report view).</summary>
    public sealed record MessageView(
        Guid Id, string AuthorParty, string Author, string Body, string Language, DateTimeOffset CreatedAt,
        IReadOnlyList<TranslationViews.TranslationView> Translations);

    public sealed record ThreadView(Guid Id, string With, string? CounterpartParty, DateTimeOffset CreatedAt, IReadOnlyList<MessageView> Messages);

    private static readonly IReadOnlySet<string> Languages = new HashSet<string> { "en", "zh-Hans" };

    public static RouteGroupBuilder MapQuestionThreads(this RouteGroupBuilder group)
    {
        var roles = new[] { Roles.Reporter, Roles.NcpOfficer, Roles.NcpDuty };
        group.MapPost("/{id:guid}/threads", Open).RequireAuthorization(policy => policy.RequireRole(roles));
        group.MapGet("/{id:guid}/threads", List).RequireAuthorization(policy => policy.RequireRole(roles));
        group.MapPost("/{id:guid}/threads/{threadId:guid}/messages", Reply).RequireAuthorization(policy => policy.RequireRole(roles));
        return group;
    }

    public static async Task<IResult> Open(Guid id, OpenRequest request, ClaimsPrincipal user, ReportsDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var report = await db.Reports.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (report is null)
            return ReportProblems.NotFound();
        var releasedTo = await db.Releases.Where(r => r.ReportId == id).Select(r => r.ToParty).Distinct().ToListAsync(cancellationToken);
        var party = user.FindFirstValue(PlatformClaims.Party);
        var isCounterpart = party is not null && releasedTo.Contains(party) && user.IsContactPoint();
        if (!ReportAccess.IsHome(user, report) && !isCounterpart)
            return ReportProblems.NotFound();

        var errors = Validate(request.Body, request.Language);
        if (request.With is not (QuestionThread.WithCounterpart or QuestionThread.WithLab))
            errors["with"] = ["with must be one of: counterpart, lab."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The question is not valid");

        var thread = new QuestionThread
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()), ReportId = id, With = request.With!, CreatedBy = user.SubjectOf(), CreatedAt = clock.GetUtcNow(),
            CounterpartParty = request.With == QuestionThread.WithCounterpart ? (isCounterpart ? party : releasedTo.FirstOrDefault()) : null,
        };
        if (thread.With == QuestionThread.WithCounterpart && !user.IsContactPoint())
            return ReportProblems.Forbidden("Only contact points talk with the counterpart.");
        if (thread.With == QuestionThread.WithCounterpart && thread.CounterpartParty is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not released",
                detail: "Contact points talk about a report once it has been released to the counterpart.");
        if (!IsPartOf(user, report, thread))
            return ReportProblems.Forbidden("Only the home contact point and the filing organisation talk in a lab thread.");

        db.Threads.Add(thread);
        Post(db, report, NewMessage(thread, user, request.Body!, request.Language!, clock), user.IsContactPoint());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/reports/{id}/threads/{thread.Id}", await ViewAsync(db, thread, cancellationToken));
    }

    public static async Task<IResult> List(Guid id, ClaimsPrincipal user, HttpContext http, ReportsDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var report = await db.Reports.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (report is null)
            return ReportProblems.NotFound();
        var visible = (await db.Threads.AsNoTracking().Where(t => t.ReportId == id).OrderBy(t => t.CreatedAt).ToListAsync(cancellationToken))
            .Where(t => IsPartOf(user, report, t)).ToList();
        if (visible.Count == 0 && !ReportAccess.IsHome(user, report) && !await IsReleasedToAsync(db, user, id, cancellationToken))
            return ReportProblems.NotFound();
        var views = new List<ThreadView>();
        foreach (var thread in visible)
            views.Add(await ViewAsync(db, thread, cancellationToken));
        if (user.PartyOf() != report.Party)
            await CrossPartyReads.RecordAsync(db, http, [(report.Id, report.Party)], CrossPartyReads.Threads, clock, cancellationToken);
        return TypedResults.Ok(views);
    }

    public static async Task<IResult> Reply(
        Guid id, Guid threadId, MessageRequest request, ClaimsPrincipal user, ReportsDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var report = await db.Reports.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        var thread = await db.Threads.AsNoTracking().SingleOrDefaultAsync(t => t.Id == threadId && t.ReportId == id, cancellationToken);
        if (report is null || thread is null || !IsPartOf(user, report, thread))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Thread not found");
        var errors = Validate(request.Body, request.Language);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The message is not valid");

        var message = NewMessage(thread, user, request.Body!, request.Language!, clock);
        Post(db, report, message, user.IsContactPoint());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/reports/{id}/threads/{threadId}", ToView(message, []));
    }

    /// <summary>A counterpart thread: both parties' contact points. A lab thread: the home contact point and the filing organisation.</summary>
    public static bool IsPartOf(ClaimsPrincipal user, Report report, QuestionThread thread)
    {
        var party = user.FindFirstValue(PlatformClaims.Party);
        var homeContactPoint = party == report.Party && user.IsContactPoint();
        return thread.With == QuestionThread.WithLab
            ? homeContactPoint || user.FindFirstValue(PlatformClaims.Organisation) == report.OrganisationId.ToString()
            : homeContactPoint || (party == thread.CounterpartParty && user.IsContactPoint());
    }

    private static Task<bool> IsReleasedToAsync(ReportsDb db, ClaimsPrincipal user, Guid id, CancellationToken cancellationToken)
    {
        var party = user.FindFirstValue(PlatformClaims.Party);
        return user.IsContactPoint() ? db.Releases.AnyAsync(r => r.ReportId == id && r.ToParty == party, cancellationToken) : Task.FromResult(false);
    }

    private static Dictionary<string, string[]> Validate(string? body, string? language)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body) || body.Length > ThreadMessage.BodyMaxLength)
            errors["body"] = [$"body is required, at most {ThreadMessage.BodyMaxLength} characters."];
        if (language is null || !Languages.Contains(language))
            errors["language"] = ["language must be one of: en, zh-Hans."];
        return errors;
    }

    /// <summary>Stores a message and, in the same transaction, announces it for translation.</summary>
    private static void Post(ReportsDb db, Report report, ThreadMessage message, bool byContactPoint)
    {
        db.ThreadMessages.Add(message);
        db.Publish(new ThreadMessagePosted(message.Id, report.Id, message.ThreadId, message.AuthorParty, message.Author, byContactPoint,
            message.Language, message.Body, message.CreatedAt));
    }

    private static ThreadMessage NewMessage(QuestionThread thread, ClaimsPrincipal user, string body, string language, TimeProvider clock) => new()
    {
        Id = Guid.CreateVersion7(clock.GetUtcNow()), ThreadId = thread.Id, AuthorParty = user.PartyOf(), AuthorOrganisation = user.OrganisationOf(),
        Author = user.SubjectOf(), Body = body.Trim(), Language = language, CreatedAt = clock.GetUtcNow(),
    };

    private static MessageView ToView(ThreadMessage m, IReadOnlyList<TranslationViews.TranslationView> translations) =>
        new(m.Id, m.AuthorParty, m.Author, m.Body, m.Language, m.CreatedAt, translations);

    private static async Task<ThreadView> ViewAsync(ReportsDb db, QuestionThread thread, CancellationToken cancellationToken)
    {
        var messages = await db.ThreadMessages.AsNoTracking().Where(m => m.ThreadId == thread.Id).OrderBy(m => m.CreatedAt).ToListAsync(cancellationToken);
        var translations = await TranslationViews.ForMessagesAsync(db, thread.ReportId, messages, cancellationToken);
        return new ThreadView(thread.Id, thread.With, thread.CounterpartParty, thread.CreatedAt, messages.Select(m => ToView(m, translations[m.Id])).ToList());
    }
}
