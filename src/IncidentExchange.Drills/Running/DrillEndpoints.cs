using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentExchange.Drills.Data;
using IncidentExchange.Drills.Measuring;
using IncidentExchange.Drills.Scenarios;
using IncidentExchange.ServiceDefaults.Authentication;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Drills.Running;

/// <summary>
/// <c>/api/v1/drills</c>: a <c>coordinator</c> creates a drill — from a scenario, or a communication check to the
/// contact points of the parties chosen — to start now or at a time, and pauses, resumes or stops it (its own party's
/// drills). Coordinators read the drills their party takes part in or created; a party's <c>ncp-officer</c> reads its
/// own party's results only. Another party's drill is 404.
/// </summary>
public static class DrillEndpoints
{
    public static readonly string[] Parties = ["US", "CN"];

    public sealed record CheckRequest(IReadOnlyList<string>? Parties, int? AcknowledgeWithinMinutes);

    public sealed record CreateRequest(string? Name, string? Scenario, CheckRequest? CommunicationCheck, DateTimeOffset? StartAt);

    public sealed record ScenarioView(string Id, ScenarioTitle Title, string Description, IReadOnlyList<string> Parties, IReadOnlyList<ScenarioInject> Injects);

    public sealed record ListItem(Guid Id, string Name, string? Scenario, IReadOnlyList<string> Parties, string Status, bool Exercise,
        DateTimeOffset StartsAt, DateTimeOffset? EndedAt);

    public static RouteGroupBuilder MapDrillEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/scenarios", Scenarios).RequireAuthorization(policy => policy.RequireRole(Roles.Coordinator, Roles.NcpOfficer));
        group.MapPost("/", Create).RequireAuthorization(policy => policy.RequireRole(Roles.Coordinator));
        group.MapGet("/", List).RequireAuthorization(policy => policy.RequireRole(Roles.Coordinator, Roles.NcpOfficer));
        group.MapGet("/{id:guid}", Get).RequireAuthorization(policy => policy.RequireRole(Roles.Coordinator, Roles.NcpOfficer));
        group.MapPost("/{id:guid}/pause", Pause).RequireAuthorization(policy => policy.RequireRole(Roles.Coordinator));
        group.MapPost("/{id:guid}/resume", Resume).RequireAuthorization(policy => policy.RequireRole(Roles.Coordinator));
        group.MapPost("/{id:guid}/stop", Stop).RequireAuthorization(policy => policy.RequireRole(Roles.Coordinator));
        return group;
    }

    public static IResult Scenarios(ScenarioLibrary library) =>
        TypedResults.Ok(library.All.OrderBy(s => s.Id).Select(s => new ScenarioView(s.Id, s.Title, s.Description, s.Parties, s.Injects)).ToList());

    public static async Task<IResult> Create(CreateRequest? request, ClaimsPrincipal user, DrillsDb db, ScenarioLibrary library, TimeProvider clock,
        DrillSignal signal, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var now = clock.GetUtcNow();
        if (request is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["A JSON body is required."] });
        if (request.Name is { } name && (string.IsNullOrWhiteSpace(name) || name.Length > 200))
            errors["name"] = ["name: 1 to 200 characters."];
        if ((request.Scenario is null) == (request.CommunicationCheck is null))
            errors["scenario"] = ["Give either scenario (a scenario id) or communicationCheck, not both."];
        var scenario = request.Scenario is { } id ? library.Find(id) : null;
        if (request.Scenario is not null && scenario is null)
            errors["scenario"] = [$"Unknown scenario; one of {string.Join(", ", library.All.Select(s => s.Id).Order())}."];
        if (request.CommunicationCheck is { } check)
        {
            if (check.Parties is not { Count: > 0 } parties || parties.Any(p => !Parties.Contains(p)) || parties.Distinct().Count() != parties.Count)
                errors["communicationCheck.parties"] = [$"One or more of {string.Join(", ", Parties)}, each once."];
            if (check.AcknowledgeWithinMinutes is not (>= 1 and <= 1440))
                errors["communicationCheck.acknowledgeWithinMinutes"] = ["1 to 1440."];
        }
        if (request.StartAt is { } startAt && (startAt < now.AddMinutes(-1) || startAt > now.AddDays(90)))
            errors["startAt"] = ["Now or later, within 90 days."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The drill is not valid");

        var drill = new Drill
        {
            Id = NewId.NextGuid(),
            Name = request.Name?.Trim() ?? (scenario is not null ? scenario.Title.En : "Communication check"),
            Scenario = scenario?.Id,
            Parties = scenario?.Parties.ToArray() ?? request.CommunicationCheck!.Parties!.ToArray(),
            Status = Drill.Scheduled,
            CreatedBy = user.SubjectOf(),
            CreatedParty = user.PartyOf(),
            CreatedAt = now,
            StartsAt = request.StartAt is { } at && at > now ? at : now,
            CheckAcknowledgeWithinMinutes = request.CommunicationCheck?.AcknowledgeWithinMinutes,
        };
        db.Drills.Add(drill);
        foreach (var (inject, sequence) in (scenario?.Injects ?? []).Select((inject, i) => (inject, i + 1)))
        {
            var template = inject.Report.DeepClone().AsObject();
            template["occurredMinutesBefore"] = inject.OccurredMinutesBefore;
            db.Injects.Add(new Inject
            {
                Id = NewId.NextGuid(), DrillId = drill.Id, Sequence = sequence, OffsetMinutes = inject.OffsetMinutes, Party = inject.Party, Lab = inject.Lab,
                Title = ((string)inject.Report["title"]!) is { Length: > 200 } long_ ? long_[..200] : (string)inject.Report["title"]!,
                Template = template.ToJsonString(), Expectations = JsonSerializer.Serialize(inject.Expect ?? [], JsonSerializerOptions.Web),
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        signal.Wake();
        return TypedResults.Created($"/api/v1/drills/{drill.Id}", await AfterActionReport.BuildAsync(db, drill, now, null, cancellationToken));
    }

    public static async Task<IResult> List(ClaimsPrincipal user, DrillsDb db, CancellationToken cancellationToken)
    {
        var party = user.PartyOf();
        var coordinator = user.IsInRole(Roles.Coordinator);
        var drills = await db.Drills.AsNoTracking()
            .Where(d => d.Parties.Contains(party) || (coordinator && d.CreatedParty == party))
            .OrderByDescending(d => d.StartsAt).Take(200).ToListAsync(cancellationToken);
        return TypedResults.Ok(drills.Select(d => new ListItem(d.Id, d.Name, d.Scenario, d.Parties, d.Status, true, d.StartsAt, d.EndedAt)).ToList());
    }

    public static async Task<IResult> Get(Guid id, ClaimsPrincipal user, DrillsDb db, TimeProvider clock, CancellationToken cancellationToken) =>
        await VisibleAsync(db, id, user, cancellationToken) is { } drill
            ? TypedResults.Ok(await AfterActionReport.BuildAsync(db, drill, clock.GetUtcNow(), OnlyPartyOf(user), cancellationToken))
            : NotFound();

    public static Task<IResult> Pause(Guid id, ClaimsPrincipal user, DrillsDb db, TimeProvider clock, DrillSignal signal, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, db, clock, signal, cancellationToken, [Drill.Running], (drill, now) =>
        {
            drill.ElapsedMs = (long)drill.ElapsedAt(now).TotalMilliseconds;
            drill.RunningSince = null;
            drill.Status = Drill.Paused;
        });

    public static Task<IResult> Resume(Guid id, ClaimsPrincipal user, DrillsDb db, TimeProvider clock, DrillSignal signal, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, db, clock, signal, cancellationToken, [Drill.Paused], (drill, now) =>
        {
            drill.RunningSince = now;
            drill.Status = Drill.Running;
        });

    public static Task<IResult> Stop(Guid id, ClaimsPrincipal user, DrillsDb db, TimeProvider clock, DrillSignal signal, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, db, clock, signal, cancellationToken, [Drill.Scheduled, Drill.Running, Drill.Paused], (drill, now) =>
        {
            drill.ElapsedMs = (long)drill.ElapsedAt(now).TotalMilliseconds;
            drill.RunningSince = null;
            drill.Status = Drill.Stopped;
            drill.EndedAt = now;
        });

    /// <summary>Only the coordinators of the party that created a drill run it; the change is made under the drill's row lock.</summary>
    private static async Task<IResult> ChangeAsync(Guid id, ClaimsPrincipal user, DrillsDb db, TimeProvider clock, DrillSignal signal,
        CancellationToken cancellationToken, string[] from, Action<Drill, DateTimeOffset> change)
    {
        if (await VisibleAsync(db, id, user, cancellationToken) is not { } visible)
            return NotFound();
        if (visible.CreatedParty != user.PartyOf())
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your party's drill",
                detail: $"Only coordinators of {visible.CreatedParty}, which created this drill, may run it.");
        var now = clock.GetUtcNow();
        var outcome = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var drill = await db.Drills.FromSql($"SELECT *, xmin FROM drills WHERE id = {id} FOR UPDATE").SingleAsync(cancellationToken);
            if (!from.Contains(drill.Status))
                return (IResult)TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible now",
                    detail: $"The drill is {drill.Status}.");
            change(drill, now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        });
        if (outcome is not null)
            return outcome;
        signal.Wake();
        var changed = await db.Drills.AsNoTracking().SingleAsync(d => d.Id == id, cancellationToken);
        return TypedResults.Ok(await AfterActionReport.BuildAsync(db, changed, now, null, cancellationToken));
    }

    /// <summary>The drill, when the caller may see it: a coordinator of a party in it or of the party that created it; an officer of a party in it.</summary>
    public static async Task<Drill?> VisibleAsync(DrillsDb db, Guid id, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var drill = await db.Drills.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        var party = user.PartyOf();
        return drill is not null && (drill.Parties.Contains(party) || (user.IsInRole(Roles.Coordinator) && drill.CreatedParty == party)) ? drill : null;
    }

    /// <summary>A contact point's officer (not also a coordinator) sees its own party's results only.</summary>
    public static string? OnlyPartyOf(ClaimsPrincipal user) => user.IsInRole(Roles.Coordinator) ? null : user.PartyOf();

    public static IResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Drill not found");
}
