using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using IncidentExchange.Identity.Audit;
using IncidentExchange.Identity.Data;
using IncidentExchange.Identity.Tokens;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Identity.Clients;

/// <summary>
/// A party's <c>admin</c> manages that party's machine clients: <c>GET /connect/clients</c>, <c>POST /connect/clients</c>
/// (answers the first secret, once), <c>POST /{clientId}/secrets</c> (a second secret for rotation, once; at most
/// <see cref="ClientSecret.MaxActive"/> active), <c>DELETE /{clientId}/secrets/{secretId}</c> (revoke one),
/// <c>POST /{clientId}/revoke</c> (no more tokens; those issued expire within their ten minutes). Another party's
/// client is answered 404. Every change is audited.
/// </summary>
public static partial class ClientAdministration
{
    public sealed record CreateRequest(string? ClientId, Guid? OrganisationId, IReadOnlyList<string>? Roles);

    public sealed record SecretView(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

    public sealed record ClientView(
        string ClientId, Guid OrganisationId, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, IReadOnlyList<SecretView> Secrets);

    public sealed record Page(IReadOnlyList<ClientView> Clients);

    /// <summary>A new secret: shown in this answer and never again.</summary>
    public sealed record NewSecret(string ClientId, Guid SecretId, string Secret);

    public static IEndpointRouteBuilder MapClientAdministration(this IEndpointRouteBuilder app)
    {
        var clients = app.MapGroup("/connect/clients").RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        clients.MapGet("/", List);
        clients.MapPost("/", Create);
        clients.MapPost("/{clientId}/secrets", AddSecret);
        clients.MapDelete("/{clientId}/secrets/{secretId:guid}", RevokeSecret);
        clients.MapPost("/{clientId}/revoke", Revoke);
        return app;
    }

    private static async Task<IResult> List(ClaimsPrincipal user, IdentityDb db, CancellationToken cancellationToken)
    {
        var party = user.PartyOf();
        var rows = await db.ApiClients.Where(c => c.Party == party).OrderBy(c => c.ClientId).ToListAsync(cancellationToken);
        var secrets = await db.ClientSecrets.Where(s => rows.Select(c => c.ClientId).Contains(s.ClientId)).OrderBy(s => s.CreatedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page(rows.Select(c => View(c, secrets)).ToList()));
    }

    private static async Task<IResult> Create(CreateRequest request, ClaimsPrincipal user, IdentityDb db, AuditLog audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        var party = user.PartyOf();
        var errors = new Dictionary<string, string[]>();
        if (request.ClientId is null || !ClientIdPattern().IsMatch(request.ClientId))
            errors["clientId"] = ["clientId: 3–100 characters, lower-case letters, digits and hyphens."];
        if (request.OrganisationId is not { } organisationId || !await db.Organisations.AnyAsync(o => o.Id == organisationId && o.Party == party, cancellationToken))
            errors["organisationId"] = ["organisationId: an organisation of your party."];
        if (!Roles.IsGrant(request.Roles))
            errors["roles"] = [Roles.GrantRule];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The client is not valid");
        if (await db.ApiClients.AnyAsync(c => c.ClientId == request.ClientId, cancellationToken))
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A client with that id exists");

        var now = clock.GetUtcNow();
        db.ApiClients.Add(new ApiClient
        {
            ClientId = request.ClientId!, Party = party, OrganisationId = request.OrganisationId!.Value, Roles = [.. request.Roles!], CreatedAt = now,
        });
        var secret = NewSecretFor(db, request.ClientId!, now);
        await audit.RecordAsync(party, user.SubjectOf(), "client-created", request.ClientId, string.Join(",", request.Roles!));
        return TypedResults.Created($"/connect/clients/{request.ClientId}", secret);
    }

    private static async Task<IResult> AddSecret(string clientId, ClaimsPrincipal user, IdentityDb db, AuditLog audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await OwnClientAsync(db, user, clientId, cancellationToken) is not { } client)
            return NotFound();
        if (client.RevokedAt is not null)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The client is revoked");
        if (await db.ClientSecrets.CountAsync(s => s.ClientId == clientId && s.RevokedAt == null, cancellationToken) >= ClientSecret.MaxActive)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The client has two active secrets",
                detail: "Revoke the old one before adding another.");
        var secret = NewSecretFor(db, clientId, clock.GetUtcNow());
        await audit.RecordAsync(client.Party, user.SubjectOf(), "client-secret-added", $"{clientId}/{secret.SecretId}", "done");
        return TypedResults.Created($"/connect/clients/{clientId}/secrets/{secret.SecretId}", secret);
    }

    private static async Task<IResult> RevokeSecret(string clientId, Guid secretId, ClaimsPrincipal user, IdentityDb db, AuditLog audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await OwnClientAsync(db, user, clientId, cancellationToken) is not { } client)
            return NotFound();
        var secret = await db.ClientSecrets.SingleOrDefaultAsync(s => s.Id == secretId && s.ClientId == clientId, cancellationToken);
        if (secret is null)
            return NotFound();
        secret.RevokedAt ??= clock.GetUtcNow();
        await audit.RecordAsync(client.Party, user.SubjectOf(), "client-secret-revoked", $"{clientId}/{secretId}", "done");
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Revoke(string clientId, ClaimsPrincipal user, IdentityDb db, AuditLog audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await OwnClientAsync(db, user, clientId, cancellationToken) is not { } client)
            return NotFound();
        client.RevokedAt ??= clock.GetUtcNow();
        await audit.RecordAsync(client.Party, user.SubjectOf(), "client-revoked", clientId, "done");
        var secrets = await db.ClientSecrets.Where(s => s.ClientId == clientId).ToListAsync(cancellationToken);
        return TypedResults.Ok(View(client, secrets));
    }

    private static NewSecret NewSecretFor(IdentityDb db, string clientId, DateTimeOffset now)
    {
        var value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var secret = new ClientSecret { Id = Guid.NewGuid(), ClientId = clientId, Hash = TokenEndpoint.HashSecret(value), CreatedAt = now };
        db.ClientSecrets.Add(secret);
        return new NewSecret(clientId, secret.Id, value);
    }

    private static Task<ApiClient?> OwnClientAsync(IdentityDb db, ClaimsPrincipal user, string clientId, CancellationToken cancellationToken)
    {
        var party = user.PartyOf();
        return db.ApiClients.SingleOrDefaultAsync(c => c.ClientId == clientId && c.Party == party, cancellationToken);
    }

    private static ClientView View(ApiClient client, IEnumerable<ClientSecret> secrets) =>
        new(client.ClientId, client.OrganisationId, client.Roles, client.CreatedAt, client.RevokedAt,
            secrets.Where(s => s.ClientId == client.ClientId).Select(s => new SecretView(s.Id, s.CreatedAt, s.RevokedAt)).ToList());

    private static IResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Client not found");

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,99}$")]
    private static partial Regex ClientIdPattern();
}
