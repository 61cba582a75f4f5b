using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
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
/// Bearer tokens, validated by ASP.NET Core's JwtBearer handler: issuer, audience, lifetime (30 s of clock skew),
/// RS256 signature by a key from the issuer's JWKS. The library caches the JWKS, fetches it again every five minutes
/// (so that a key the issuer retired or unpublished stops being trusted soon after), and on a token signed by a key
/// it does not know, at most every ten seconds (so that a flood of forged tokens cannot hammer the identity service).
/// </summary>
public static class TokenAuthentication
{
    public const string SchemeName = JwtBearerDefaults.AuthenticationScheme;

    /// <summary>The <c>typ</c> of an access token (RFC 9068 §2.1); a JWT of any other type is not one.</summary>
    public const string AccessTokenType = "at+jwt";

    public static WebApplicationBuilder AddTokenAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<TokenOptions>(builder.Configuration.GetSection("Auth"));
        builder.Services.AddHttpClient(SchemeName, http => http.Timeout = TimeSpan.FromSeconds(5));
        builder.Services.AddAuthentication(SchemeName).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(SchemeName)
            .Configure<IOptions<TokenOptions>, IHttpClientFactory>((jwt, tokens, http) => Configure(jwt, tokens.Value, http));
        builder.Services.AddAuthorization();
        return builder;
    }

    private static void Configure(JwtBearerOptions jwt, TokenOptions tokens, IHttpClientFactory http)
    {
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = tokens.Issuer,
            ValidAudience = tokens.Audience,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = [AccessTokenType],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            NameClaimType = PlatformClaims.Name,
            RoleClaimType = PlatformClaims.Role,
        };
        if (tokens.JwksUri.Length > 0)
        {
            // The keys' address may be internal, so it is configured, not read from the public discovery document.
            jwt.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                tokens.JwksUri, new JwksRetriever(tokens.Issuer), new HttpDocumentRetriever(http.CreateClient(SchemeName)) { RequireHttps = false })
            {
                AutomaticRefreshInterval = TimeSpan.FromMinutes(5),
                RefreshInterval = TimeSpan.FromSeconds(10),
            };
        }
        jwt.Events = new JwtBearerEvents
        {
            // Browsers' WebSocket API cannot set headers; the SignalR client sends the token in the query instead.
            OnMessageReceived = context =>
            {
                if (context.Request.Path.StartsWithSegments("/hubs") && context.Request.Query.TryGetValue("access_token", out var query) &&
                    !context.Request.Headers.Authorization.Any())
                    context.Token = query.ToString();
                return Task.CompletedTask;
            },
            OnAuthenticationFailed = context =>
            {
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TokenAuthentication))
                    .LogInformation("Bearer token refused: {Reason}", context.Exception.GetType().Name);
                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
                await WriteProblem(context.HttpContext, StatusCodes.Status401Unauthorized, "Authentication required",
                    "Send a valid bearer token (POST /connect/token) or sign in.");
            },
            OnForbidden = context => WriteProblem(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "Your role does not allow this."),
        };
    }

    private static async Task WriteProblem(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>Reads a JWKS document as the signing keys of a configuration; the library does the fetching and caching.</summary>
    private sealed class JwksRetriever(string issuer) : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            var keys = new JsonWebKeySet(await retriever.GetDocumentAsync(address, cancel));
            var configuration = new OpenIdConnectConfiguration { Issuer = issuer, JsonWebKeySet = keys };
            foreach (var key in keys.GetSigningKeys())
                configuration.SigningKeys.Add(key);
            return configuration;
        }
    }
}
