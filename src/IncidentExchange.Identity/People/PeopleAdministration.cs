using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using IncidentExchange.Identity.Audit;
using IncidentExchange.Identity.Data;
using IncidentExchange.Identity.Tokens;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Identity.People;

/// <summary>
/// A party's <c>admin</c> manages that party's organisations, people and their roles; people join by invitation only
/// (protocols/http-api.md, "People and organisations"). Nothing of another party is listed, and acting on it is 404.
/// Every change is audited in the same unit of work.
/// </summary>
public static partial class PeopleAdministration
{
    public sealed record OrganisationRequest(string? Code, string? Name, string? Kind);

    public sealed record OrganisationView(Guid Id, string Code, string Name, string Kind);

    public sealed record UserView(Guid Id, string UserName, Guid OrganisationId, IReadOnlyList<string> Roles, bool SecondFactor, bool Disabled, DateTimeOffset? LockedOutUntil);

    public sealed record RolesRequest(IReadOnlyList<string>? Roles);

    public sealed record InvitationRequest(Guid? OrganisationId, IReadOnlyList<string>? Roles, int? ExpiresInHours);

    public sealed record InvitationView(Guid Id, Guid OrganisationId, IReadOnlyList<string> Roles, string CreatedBy, DateTimeOffset CreatedAt,
        DateTimeOffset ExpiresAt, DateTimeOffset? AcceptedAt, Guid? AcceptedUserId);

    /// <summary>A new invitation: its code is in this answer and nowhere else.</summary>
    public sealed record NewInvitation(Guid Id, string Code, DateTimeOffset ExpiresAt);

    public sealed record AcceptRequest(string? Code, string? UserName, string? Password);

    public sealed record Accepted(string UserName, string Party, Guid OrganisationId, IReadOnlyList<string> Roles);

    private const int DefaultExpiryHours = 72;
    private const int MaxExpiryHours = 168;

    public static IEndpointRouteBuilder MapPeopleAdministration(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/connect").RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        admin.MapGet("/organisations", ListOrganisations);
        admin.MapPost("/organisations", CreateOrganisation);
        admin.MapGet("/users", ListUsers);
        admin.MapPut("/users/{id:guid}/roles", SetRoles);
        admin.MapPost("/users/{id:guid}/disable", Disable);
        admin.MapGet("/invitations", ListInvitations);
        admin.MapPost("/invitations", Invite);
        app.MapPost("/connect/invitations/accept", Accept).AllowAnonymous();
        return app;
    }

    private static async Task<IResult> ListOrganisations(ClaimsPrincipal user, IdentityDb db, CancellationToken cancellationToken)
    {
        var party = user.PartyOf();
        var organisations = await db.Organisations.Where(o => o.Party == party).OrderBy(o => o.Code)
            .Select(o => new OrganisationView(o.Id, o.Code, o.Name, o.Kind)).ToListAsync(cancellationToken);
        return TypedResults.Ok(new { organisations });
    }

    private static async Task<IResult> CreateOrganisation(OrganisationRequest request, ClaimsPrincipal user, IdentityDb db, AuditLog audit, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Code is null || !CodePattern().IsMatch(request.Code))
            errors["code"] = ["code: 3–64 characters, lower-case letters, digits and hyphens."];
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
            errors["name"] = ["name: 1–200 characters."];
        if (request.Kind is not (Organisation.ContactPoint or Organisation.Lab))
            errors["kind"] = [$"kind: {Organisation.ContactPoint} or {Organisation.Lab}."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The organisation is not valid");
        if (await db.Organisations.AnyAsync(o => o.Code == request.Code, cancellationToken))
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "An organisation with that code exists");

        var party = user.PartyOf();
        var organisation = new Organisation { Id = Guid.CreateVersion7(), Code = request.Code!, Name = request.Name!.Trim(), Party = party, Kind = request.Kind! };
        db.Organisations.Add(organisation);
        audit.Add(party, user.SubjectOf(), "organisation-created", organisation.Code, "done");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/connect/organisations/{organisation.Id}", new OrganisationView(organisation.Id, organisation.Code, organisation.Name, organisation.Kind));
    }

    private static async Task<IResult> ListUsers(ClaimsPrincipal user, IdentityDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var party = user.PartyOf();
        var people = await db.Users.Where(u => u.Party == party).OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var roles = await RolesOfAsync(db, people.Select(u => u.Id), cancellationToken);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(new { users = people.Select(u => View(u, roles, now)).ToList() });
    }

    private static async Task<IResult> SetRoles(
        Guid id, RolesRequest request, ClaimsPrincipal user, IdentityDb db, UserManager<User> users, RoleManager<IdentityRole<Guid>> roleManager,
        AuditLog audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await OwnUserAsync(db, user, id, cancellationToken) is not { } person)
            return NotFound();
        if (ValidRoles(request.Roles) is { } invalid)
            return TypedResults.ValidationProblem(invalid, title: "The roles are not valid");
        if (person.Id.ToString() == user.SubjectOf())
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Your own roles are changed by another admin",
                detail: "An admin cannot change their own roles, so that nobody takes the last admin away by mistake or grants themselves more.");

        var wanted = request.Roles!;
        return await InTransactionAsync(db, async () =>
        {
            var current = await users.GetRolesAsync(person);
            await EnsureRolesExistAsync(roleManager, wanted);
            Check(await users.RemoveFromRolesAsync(person, current.Except(wanted)));
            Check(await users.AddToRolesAsync(person, wanted.Except(current)));
            // A new stamp ends the person's sessions at their next check: the old roles do not live on in a cookie.
            Check(await users.UpdateSecurityStampAsync(person));
            audit.Add(person.Party, user.SubjectOf(), "user-roles-changed", person.UserName, string.Join(",", wanted.Order()));
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Ok(View(person, await RolesOfAsync(db, [person.Id], cancellationToken), clock.GetUtcNow()));
        }, cancellationToken);
    }

    private static async Task<IResult> Disable(Guid id, ClaimsPrincipal user, IdentityDb db, UserManager<User> users, AuditLog audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await OwnUserAsync(db, user, id, cancellationToken) is not { } person)
            return NotFound();
        if (person.Id.ToString() == user.SubjectOf())
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "An admin cannot disable themselves");
        return await InTransactionAsync(db, async () =>
        {
            person.LockoutEnabled = true;
            Check(await users.SetLockoutEndDateAsync(person, DateTimeOffset.MaxValue));
            Check(await users.UpdateSecurityStampAsync(person));
            audit.Add(person.Party, user.SubjectOf(), "user-disabled", person.UserName, "done");
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Ok(View(person, await RolesOfAsync(db, [person.Id], cancellationToken), clock.GetUtcNow()));
        }, cancellationToken);
    }

    private static async Task<IResult> ListInvitations(ClaimsPrincipal user, IdentityDb db, CancellationToken cancellationToken)
    {
        var party = user.PartyOf();
        var invitations = await db.Invitations.Where(i => i.Party == party).OrderByDescending(i => i.CreatedAt).Take(500)
            .Select(i => new InvitationView(i.Id, i.OrganisationId, i.Roles, i.CreatedBy, i.CreatedAt, i.ExpiresAt, i.AcceptedAt, i.AcceptedUserId))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new { invitations });
    }

    private static async Task<IResult> Invite(InvitationRequest request, ClaimsPrincipal user, IdentityDb db, AuditLog audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        var party = user.PartyOf();
        var errors = ValidRoles(request.Roles) ?? [];
        if (request.OrganisationId is not { } organisationId || !await db.Organisations.AnyAsync(o => o.Id == organisationId && o.Party == party, cancellationToken))
            errors["organisationId"] = ["organisationId: an organisation of your party."];
        if (request.ExpiresInHours is < 1 or > MaxExpiryHours)
            errors["expiresInHours"] = [$"expiresInHours: 1–{MaxExpiryHours} (default {DefaultExpiryHours})."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The invitation is not valid");

        var code = NewCode();
        var now = clock.GetUtcNow();
        var invitation = new Invitation
        {
            Id = Guid.CreateVersion7(now), Party = party, OrganisationId = request.OrganisationId!.Value, Roles = [.. request.Roles!.Order()],
            CodeHash = TokenEndpoint.HashSecret(code), CreatedBy = user.SubjectOf(), CreatedAt = now,
            ExpiresAt = now.AddHours(request.ExpiresInHours ?? DefaultExpiryHours),
        };
        db.Invitations.Add(invitation);
        audit.Add(party, user.SubjectOf(), "invitation-created", invitation.Id.ToString(), string.Join(",", invitation.Roles));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/connect/invitations/{invitation.Id}", new NewInvitation(invitation.Id, code, invitation.ExpiresAt));
    }

    /// <summary>
    /// The invitee becomes a user of the inviting party and organisation with the invitation's roles. The invitation is
    /// taken (a conditional update: two acceptances of one code cannot both win) in the transaction that creates the user,
    /// so a refused user name or password leaves it usable. Unknown, used and expired codes get one answer.
    /// </summary>
    private static async Task<IResult> Accept(
        AcceptRequest request, IdentityDb db, UserManager<User> users, RoleManager<IdentityRole<Guid>> roleManager, AuditLog audit, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(request.Code) || request.Code.Length > 64)
            errors["code"] = ["code: the invitation code you were given."];
        if (request.UserName is null || !UserNamePattern().IsMatch(request.UserName))
            errors["userName"] = ["userName: 3–64 characters, lower-case letters, digits, dots, hyphens and underscores."];
        if (string.IsNullOrEmpty(request.Password) || request.Password.Length > 256)
            errors["password"] = ["password: at least 12 characters (at most 256)."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The acceptance is not valid");

        var now = clock.GetUtcNow();
        var hash = TokenEndpoint.HashSecret(request.Code!);
        return await InTransactionAsync(db, async () =>
        {
            var taken = await db.Invitations.Where(i => i.CodeHash == hash && i.AcceptedAt == null && i.ExpiresAt > now)
                .ExecuteUpdateAsync(i => i.SetProperty(x => x.AcceptedAt, now), cancellationToken);
            if (taken == 0)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["code"] = ["code: not a valid invitation (unknown, used or expired)."] },
                    title: "The acceptance is not valid");
            var invitation = await db.Invitations.SingleAsync(i => i.CodeHash == hash, cancellationToken);
            if (await users.FindByNameAsync(request.UserName!) is not null)
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "That user name is taken", detail: "Choose another; the invitation is still valid.");

            var person = new User { UserName = request.UserName, Party = invitation.Party, OrganisationId = invitation.OrganisationId, LockoutEnabled = true };
            var created = await users.CreateAsync(person, request.Password!);
            if (!created.Succeeded)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    [created.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? "password" : "userName"] =
                        created.Errors.Select(e => e.Description).ToArray(),
                }, title: "The acceptance is not valid");
            await EnsureRolesExistAsync(roleManager, invitation.Roles);
            Check(await users.AddToRolesAsync(person, invitation.Roles));
            invitation.AcceptedUserId = person.Id;
            audit.Add(invitation.Party, person.UserName!, "invitation-accepted", invitation.Id.ToString(), string.Join(",", invitation.Roles));
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Created("/connect/session", new Accepted(person.UserName!, person.Party, person.OrganisationId, invitation.Roles));
        }, cancellationToken);
    }

    /// <summary>
    /// Runs the work in one transaction (under the retrying execution strategy) and commits only a successful answer:
    /// a refusal half-way changes nothing.
    /// </summary>
    private static Task<IResult> InTransactionAsync(IdentityDb db, Func<Task<IResult>> work, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await work();
            if (result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 })
                await transaction.CommitAsync(cancellationToken);
            return result;
        });

    private static Dictionary<string, string[]>? ValidRoles(IReadOnlyList<string>? roles) =>
        Roles.IsGrant(roles) ? null : new() { ["roles"] = [Roles.GrantRule] };

    private static async Task EnsureRolesExistAsync(RoleManager<IdentityRole<Guid>> roleManager, IEnumerable<string> roles)
    {
        foreach (var role in roles)
            if (!await roleManager.RoleExistsAsync(role))
                Check(await roleManager.CreateAsync(new IdentityRole<Guid>(role)));
    }

    /// <summary>Twenty characters of an alphabet without look-alikes, in groups of five: 100 bits, typed by hand if need be.</summary>
    private static string NewCode()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 20);
        return string.Join("-", Enumerable.Range(0, 4).Select(i => new string(chars, i * 5, 5)));
    }

    private static Task<User?> OwnUserAsync(IdentityDb db, ClaimsPrincipal user, Guid id, CancellationToken cancellationToken)
    {
        var party = user.PartyOf();
        return db.Users.SingleOrDefaultAsync(u => u.Id == id && u.Party == party, cancellationToken);
    }

    private static async Task<ILookup<Guid, string>> RolesOfAsync(IdentityDb db, IEnumerable<Guid> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds.ToList();
        var pairs = await db.UserRoles.Where(ur => ids.Contains(ur.UserId))
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken);
        return pairs.ToLookup(p => p.UserId, p => p.Name!);
    }

    private static UserView View(User person, ILookup<Guid, string> roles, DateTimeOffset now) =>
        new(person.Id, person.UserName!, person.OrganisationId, roles[person.Id].Order().ToList(), person.TwoFactorEnabled,
            person.LockoutEnd == DateTimeOffset.MaxValue, person.LockoutEnd > now ? person.LockoutEnd : null);

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }

    private static IResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "User not found");

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,63}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{2,63}$")]
    private static partial Regex UserNamePattern();
}
