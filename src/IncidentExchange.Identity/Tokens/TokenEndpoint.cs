using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using IncidentExchange.Identity.Audit;
using IncidentExchange.Identity.Data;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Identity.Tokens;

/// <summary>
/// <c>POST /connect/token</c>: the OAuth2 token endpoint (RFC 6749 §4.4, client credentials), with the client
/// authenticated by HTTP Basic or by form fields, and errors as RFC 6749 §5.2 requires.
/// </summary>
public static class TokenEndpoint
{
    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/connect/token", IssueToken).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> IssueToken(
        HttpContext http, IdentityDb db, TokenIssuer issuer, AuditLog audit, ILogger<TokenIssuer> logger, CancellationToken cancellationToken)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (!http.Request.HasFormContentType)
            return Error("invalid_request", "The body must be application/x-www-form-urlencoded.");
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException)
        {
            // ASP.NET Core's form limits (names to 2048 characters, 1024 fields, values to 4 MiB): RFC 6749 §5.2.
            return Error("invalid_request", "The form is malformed or exceeds the form limits (a name of at most 2048 characters, at most 1024 fields).");
        }

        var grantType = form["grant_type"].ToString();
        if (grantType.Length == 0)
            return Error("invalid_request", "grant_type is required.");
        if (grantType != "client_credentials")
            return Error("unsupported_grant_type", "Only client_credentials is supported.");

        var (clientId, secret, usedBasic) = ReadClientCredentials(http.Request, form);
        if (clientId is null || secret is null)
            return Error("invalid_client", "Client authentication is required.", StatusCodes.Status401Unauthorized, usedBasic);

        var client = clientId.Length > 100 ? null : await db.ApiClients.AsNoTracking().SingleOrDefaultAsync(c => c.ClientId == clientId, cancellationToken);
        var hashes = client is null || client.RevokedAt is not null
            ? []
            : await db.ClientSecrets.Where(s => s.ClientId == clientId && s.RevokedAt == null).Select(s => s.Hash).ToListAsync(cancellationToken);
        if (!hashes.Any(hash => SecretMatches(secret, hash)))
        {
            logger.LogInformation("Token refused for client {ClientId}", clientId);
            await audit.RecordAsync(client?.Party, clientId, "token", clientId, client?.RevokedAt is not null ? "refused: client revoked" : "refused");
            return Error("invalid_client", "Unknown client or wrong secret.", StatusCodes.Status401Unauthorized, usedBasic);
        }

        var token = await issuer.IssueAsync(
            new TokenSubject(client!.ClientId, client.ClientId, client.Party, client.OrganisationId, client.Roles, client.ClientId),
            cancellationToken);
        await audit.RecordAsync(client!.Party, client.ClientId, "token", client.ClientId, "issued");
        return TypedResults.Json(new
        {
            access_token = token,
            token_type = "Bearer",
            expires_in = (int)TokenIssuer.Lifetime.TotalSeconds,
        });
    }

    /// <summary>Client secrets are long random strings, so one SHA-256 is enough; compared in fixed time.</summary>
    public static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static bool SecretMatches(string secret, string hash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashSecret(secret)), Encoding.ASCII.GetBytes(hash));

    private static (string? ClientId, string? Secret, bool UsedBasic) ReadClientCredentials(HttpRequest request, IFormCollection form)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) &&
            header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is { } parameter)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
                var colon = decoded.IndexOf(':');
                if (colon > 0)
                    return (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]), true);
            }
            catch (FormatException)
            {
            }
            return (null, null, true);
        }
        var id = form["client_id"].ToString();
        var secret = form["client_secret"].ToString();
        return (id.Length > 0 ? id : null, secret.Length > 0 ? secret : null, false);
    }

    private static IResult Error(string error, string description, int status = StatusCodes.Status400BadRequest, bool challengeBasic = false) =>
        new TokenError(error, description, status, challengeBasic);

    private sealed class TokenError(string error, string description, int status, bool challengeBasic) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            http.Response.Headers.CacheControl = "no-store";
            if (challengeBasic)
                http.Response.Headers.WWWAuthenticate = "Basic realm=\"incidentexchange\"";
            return http.Response.WriteAsJsonAsync(new { error, error_description = description });
        }
    }
}
