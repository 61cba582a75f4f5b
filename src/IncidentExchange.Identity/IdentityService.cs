using IncidentExchange.Identity.Audit;
using IncidentExchange.Identity.Clients;
using IncidentExchange.Identity.Data;
using IncidentExchange.Identity.Keys;
using IncidentExchange.Identity.People;
using IncidentExchange.Identity.Sessions;
using IncidentExchange.Identity.Tokens;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace IncidentExchange.Identity;

public static class IdentityService
{
    public static readonly TimeSpan SessionIdleTimeout = TimeSpan.FromHours(1);
    public static readonly TimeSpan SessionAbsoluteLifetime = TimeSpan.FromHours(12);
    private const string SignedInAtItem = "ix_signed_in_at";

    public static WebApplicationBuilder AddIdentityService(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SigningKeyStore>();
        builder.Services.Configure<KeyRotationOptions>(builder.Configuration.GetSection("Keys"));
        builder.Services.AddHostedService<KeyRotation>();
        // This service validates tokens with its own keys rather than fetching its own JWKS over HTTP.
        builder.Services.AddOptions<JwtBearerOptions>(TokenAuthentication.SchemeName)
            .PostConfigure<SigningKeyStore>((jwt, keys) => jwt.ConfigurationManager = keys);
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<AuditLog>();

        builder.Services.AddIdentityCore<User>(options =>
            {
                options.Password.RequiredLength = 12;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<IdentityDb>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddTokenProvider<OneTimeAuthenticatorCodes>(Microsoft.AspNetCore.Identity.TokenOptions.DefaultAuthenticatorProvider)
            .AddClaimsPrincipalFactory<PlatformUserClaimsFactory>();
        builder.Services.AddAuthentication().AddIdentityCookies();
        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "ix_session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.Path = "/";
            // Idle expiry: an hour without a request ends the session; each request (past half of it) renews it.
            cookie.ExpireTimeSpan = SessionIdleTimeout;
            cookie.SlidingExpiration = true;
            // Absolute expiry: twelve hours after signing in, however busy the session.
            cookie.Events.OnSigningIn = context =>
            {
                context.Properties.Items.TryAdd(SignedInAtItem, context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().ToString("O"));
                return Task.CompletedTask;
            };
            var validateSecurityStamp = cookie.Events.OnValidatePrincipal;
            cookie.Events.OnValidatePrincipal = async context =>
            {
                var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                if (!context.Properties.Items.TryGetValue(SignedInAtItem, out var signedInAt) ||
                    !DateTimeOffset.TryParse(signedInAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var at) ||
                    now - at > SessionAbsoluteLifetime)
                {
                    context.RejectPrincipal();
                    return;
                }
                await validateSecurityStamp(context);
            };
            // An API answers 401, it does not redirect to a login page.
            cookie.Events.OnRedirectToLogin = context => { context.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
            cookie.Events.OnRedirectToAccessDenied = context => { context.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
        });
        return builder;
    }

    public static WebApplication MapIdentityApi(this WebApplication app)
    {
        app.MapDiscovery();
        app.MapTokenEndpoint();
        app.MapKeyRotation();
        app.MapClientAdministration();
        app.MapPeopleAdministration();
        app.MapAuditTrail();
        app.MapSessions();
        app.MapSecondFactor();
        return app;
    }
}
