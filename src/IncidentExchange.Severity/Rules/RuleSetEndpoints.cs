using System.Security.Claims;
using System.Text.Json.Nodes;
using IncidentExchange.ServiceDefaults.Authentication;
using IncidentExchange.Severity.Data;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Severity.Rules;

/// <summary>
/// <c>/api/v1/severity/rule-sets</c>: the versions of the severity rule set and the parties' approvals. A party's
/// <c>admin</c> proposes a version and approves versions for its party; a version is in force once every party has
/// approved it — until then the previous one stays in force. Everyone of the contact points, auditors and
/// coordinators may read them.
/// </summary>
public static class RuleSetEndpoints
{
    public const int MaxDocumentBytes = 64 * 1024;

    public sealed record ApprovalView(string Party, string ApprovedBy, DateTimeOffset ApprovedAt);

    public sealed record RuleSetView(
        string Version, string Status, string ProposedBy, string ProposedParty, DateTimeOffset ProposedAt, DateTimeOffset? InForceFrom,
        IReadOnlyList<ApprovalView> Approvals, JsonNode? Document);

    public sealed record ListView(string InForce, IReadOnlyList<RuleSetView> RuleSets);

    public static WebApplication MapRuleSetEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/v1/severity/rule-sets");
        var readers = new[] { Roles.NcpOfficer, Roles.NcpDuty, Roles.Admin, Roles.Auditor, Roles.Coordinator };
        group.MapGet("/", List).RequireAuthorization(policy => policy.RequireRole(readers));
        group.MapGet("/{version}", Get).RequireAuthorization(policy => policy.RequireRole(readers));
        group.MapPost("/", Propose).RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        group.MapPost("/{version}/approve", Approve).RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        return app;
    }

    private static IResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Rule set not found");

    public static async Task<IResult> List(SeverityDb db, CancellationToken cancellationToken)
    {
        var views = await ViewsAsync(db, null, withDocument: false, cancellationToken);
        return TypedResults.Ok(new ListView(views.Single(v => v.Status == "in-force").Version, views));
    }

    public static async Task<IResult> Get(string version, SeverityDb db, CancellationToken cancellationToken) =>
        (await ViewsAsync(db, version, withDocument: true, cancellationToken)).SingleOrDefault() is { } view ? TypedResults.Ok(view) : NotFound();

    public static async Task<IResult> Propose(HttpRequest request, ClaimsPrincipal user, SeverityDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxDocumentBytes)
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Rule set too large", detail: $"At most {MaxDocumentBytes} bytes.");
        var body = await new StreamReader(request.Body).ReadToEndAsync(cancellationToken);
        if (body.Length > MaxDocumentBytes)
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Rule set too large", detail: $"At most {MaxDocumentBytes} bytes.");
        var ruleSet = RuleSet.Parse(body, out var errors);
        if (ruleSet is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["document"] = errors.ToArray() }, title: "The rule set is not valid");
        if (await db.RuleSets.AnyAsync(r => r.Version == ruleSet.Version, cancellationToken))
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Version exists",
                detail: $"Rule set version {ruleSet.Version} exists; a proposal needs a new version.");

        db.RuleSets.Add(new RuleSetRecord
        {
            Version = ruleSet.Version, Document = body, ProposedBy = user.SubjectOf(), ProposedParty = user.PartyOf(), ProposedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        var view = (await ViewsAsync(db, ruleSet.Version, withDocument: false, cancellationToken)).Single();
        return TypedResults.Created($"/api/v1/severity/rule-sets/{Uri.EscapeDataString(ruleSet.Version)}", view);
    }

    /// <summary>Records the caller's party's approval; the last party's approval puts the version in force, under a row lock.</summary>
    public static async Task<IResult> Approve(string version, ClaimsPrincipal user, SeverityDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var party = user.PartyOf();
        if (!RuleSetStore.Parties.Contains(party))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not a party of the exchange");
        var outcome = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var ruleSet = await db.RuleSets.FromSql($"SELECT * FROM rule_sets WHERE version = {version} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
            if (ruleSet is null)
                return NotFound();
            if (await db.RuleSetApprovals.AnyAsync(a => a.Version == version && a.Party == party, cancellationToken))
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already approved",
                    detail: $"{party} has approved rule set {version} already.");
            var now = clock.GetUtcNow();
            db.RuleSetApprovals.Add(new RuleSetApproval { Version = version, Party = party, ApprovedBy = user.SubjectOf(), ApprovedAt = now });
            var approvedBy = await db.RuleSetApprovals.Where(a => a.Version == version).Select(a => a.Party).ToListAsync(cancellationToken);
            if (RuleSetStore.Parties.All(p => p == party || approvedBy.Contains(p)))
                ruleSet.InForceFrom = now;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        });
        return outcome ?? TypedResults.Ok((await ViewsAsync(db, version, withDocument: false, cancellationToken)).Single());
    }

    private static async Task<List<RuleSetView>> ViewsAsync(SeverityDb db, string? version, bool withDocument, CancellationToken cancellationToken)
    {
        var ruleSets = await db.RuleSets.AsNoTracking().Where(r => version == null || r.Version == version)
            .OrderBy(r => r.ProposedAt).ToListAsync(cancellationToken);
        var approvals = await db.RuleSetApprovals.AsNoTracking().Where(a => version == null || a.Version == version).ToListAsync(cancellationToken);
        var inForce = await db.RuleSets.AsNoTracking().Where(r => r.InForceFrom != null).OrderByDescending(r => r.InForceFrom)
            .Select(r => r.Version).FirstOrDefaultAsync(cancellationToken);
        return ruleSets.Select(r => new RuleSetView(r.Version,
            r.Version == inForce ? "in-force" : r.InForceFrom is null ? "proposed" : "superseded",
            r.ProposedBy, r.ProposedParty, r.ProposedAt, r.InForceFrom,
            approvals.Where(a => a.Version == r.Version).OrderBy(a => a.ApprovedAt).Select(a => new ApprovalView(a.Party, a.ApprovedBy, a.ApprovedAt)).ToList(),
            withDocument ? JsonNode.Parse(r.Document) : null)).ToList();
    }
}
