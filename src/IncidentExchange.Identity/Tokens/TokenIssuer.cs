using IncidentExchange.Identity.Keys;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IncidentExchange.Identity.Tokens;

/// <summary>Who a token speaks for: a machine client or a signed-in person.</summary>
public sealed record TokenSubject(string Subject, string Name, string Party, Guid Organisation, IReadOnlyCollection<string> Roles, string? ClientId);

/// <summary>Mints short-lived RS256 access tokens for the platform's audience.</summary>
public sealed class TokenIssuer(SigningKeyStore keys, IOptions<TokenOptions> options, TimeProvider clock)
{
    /// <summary>Access tokens live ten minutes at most (the identity issue's ceiling).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<string> IssueAsync(TokenSubject subject, CancellationToken cancellationToken)
    {
        var key = await keys.GetSigningKeyAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [PlatformClaims.Subject] = subject.Subject,
            [PlatformClaims.Name] = subject.Name,
            [PlatformClaims.Party] = subject.Party,
            [PlatformClaims.Organisation] = subject.Organisation.ToString(),
            [PlatformClaims.Role] = subject.Roles.ToArray(),
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
        };
        if (subject.ClientId is { } clientId)
            claims[PlatformClaims.ClientId] = clientId;

        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            // RFC 9068: an access token says so in its header, and resource servers accept no other kind.
            TokenType = TokenAuthentication.AccessTokenType,
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }
}
