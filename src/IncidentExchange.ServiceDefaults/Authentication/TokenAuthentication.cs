using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IncidentExchange.ServiceDefaults.Authentication;

/// <summary>Where tokens come from and whom they are for; bound from the <c>Auth</c> configuration section.</summary>
public sealed class TokenOptions
{
    /// <summary>The issuer as tokens state it: the public origin of the platform.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>Where this service fetches the issuer's public keys (may be an internal address).</summary>
    public string JwksUri { get; set; } = "";

    public string Audience { get; set; } = PlatformClaims.Audience;
}

/// <summary>
/// Validates bearer JWTs against the identity service's published keys. JwtBearer cannot be used here
/// (PACKAGES.md), so this is the one place where issuer, audience, lifetime and signature are checked.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<TokenOptions> tokenOptions,
    ISigningKeySource keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    private static readonly JsonWebTokenHandler Tokens = new() { MapInboundClaims = false };

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken(Request);
        if (token is null)
            return AuthenticateResult.NoResult();

        var result = await ValidateAsync(token, refreshKeys: false);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
            result = await ValidateAsync(token, refreshKeys: true); // a rotated key: fetch the JWKS again, once

        if (!result.IsValid)
        {
            Logger.LogInformation("Bearer token refused: {Reason}", result.Exception?.GetType().Name);
            return AuthenticateResult.Fail("invalid_token");
        }

        var principal = new ClaimsPrincipal(result.ClaimsIdentity);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private async Task<TokenValidationResult> ValidateAsync(string token, bool refreshKeys)
    {
        var signingKeys = await keys.GetKeysAsync(refreshKeys, Context.RequestAborted);
        var o = tokenOptions.Value;
        return await Tokens.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = o.Issuer,
            ValidAudience = o.Audience,
            IssuerSigningKeys = signingKeys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            NameClaimType = PlatformClaims.Name,
            RoleClaimType = PlatformClaims.Role,
        });
    }

    private static string? ReadToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return header["Bearer ".Length..].Trim();
        // Browsers' WebSocket API cannot set headers; the SignalR client sends the token in the query instead.
        if (request.Path.StartsWithSegments("/hubs") && request.Query.TryGetValue("access_token", out var query))
            return query.ToString();
        return null;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblem(StatusCodes.Status401Unauthorized, "Authentication required",
            "Send a valid bearer token (POST /connect/token) or sign in.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblem(StatusCodes.Status403Forbidden, "Forbidden", "Your role does not allow this.");

    private async Task WriteProblem(int status, string title, string detail)
    {
        Response.StatusCode = status;
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}

public static class TokenAuthenticationExtensions
{
    /// <summary>Bearer-token authentication for every service, keys from the issuer's JWKS.</summary>
    public static WebApplicationBuilder AddTokenAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<TokenOptions>(builder.Configuration.GetSection("Auth"));
        builder.Services.AddHttpClient<JwksKeySource>(http => http.Timeout = TimeSpan.FromSeconds(5));
        builder.Services.TryAddSingleton<ISigningKeySource>(sp => sp.GetRequiredService<JwksKeySource>());
        builder.Services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        return builder;
    }
}
