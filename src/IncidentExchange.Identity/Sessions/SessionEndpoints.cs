using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using IncidentExchange.Identity.Audit;
using IncidentExchange.Identity.Data;
using IncidentExchange.Identity.Tokens;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IncidentExchange.Identity.Sessions;

/// <summary>
/// People sign in with a password and get an HttpOnly session cookie; the browser never holds a token.
/// The edge (nginx <c>auth_request</c>) exchanges that cookie for a short-lived access token on each API or hub
/// request, through the internal <c>/connect/session-token</c>, which the edge never exposes.
/// </summary>
public static class SessionEndpoints
{
    public const string AccessTokenHeader = "X-Access-Token";

    public sealed record LoginRequest([property: Required] string UserName, [property: Required] string Password);

    /// <param name="SecondFactorEnrolmentRequired">The session can do nothing but enrol a second factor (see <see cref="SecondFactor"/>).</param>
    /// <param name="SecondFactor">The person has a second factor on.</param>
    public sealed record SessionView(
        string UserName, string Party, Guid Organisation, IReadOnlyList<string> Roles, bool SecondFactorEnrolmentRequired, bool SecondFactor);

    /// <summary>The password was right; the second factor is next (<c>POST /connect/login/second-factor</c>).</summary>
    public sealed record PasswordAccepted(bool SecondFactorRequired = true);

    public static IEndpointRouteBuilder MapSessions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/connect/login", Login);
        app.MapPost("/connect/logout", async (SignInManager<User> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.NoContent();
        });
        app.MapGet("/connect/session", async Task<Results<Ok<SessionView>, ProblemHttpResult>> (HttpContext http) =>
        {
            var result = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
            return result.Succeeded
                ? TypedResults.Ok(View(result.Principal))
                : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in");
        });
        app.MapGet("/connect/session-token", SessionToken);
        return app;
    }

    private static async Task<Results<Ok<SessionView>, Ok<PasswordAccepted>, ProblemHttpResult>> Login(
        LoginRequest request, SignInManager<User> signIn, AuditLog audit, ILogger<LoginRequest> logger)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password) ||
            request.UserName.Length > 256 || request.Password.Length > 256)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "User name and password are required");

        var result = await signIn.PasswordSignInAsync(request.UserName, request.Password, isPersistent: false, lockoutOnFailure: true);
        var person = await signIn.UserManager.FindByNameAsync(request.UserName);
        await audit.RecordAsync(person?.Party, request.UserName, "sign-in", null,
            result.Succeeded ? "succeeded" : result.RequiresTwoFactor ? "password accepted, second factor next" : result.IsLockedOut ? "refused: locked out" : "refused");
        if (result.RequiresTwoFactor)
            return TypedResults.Ok(new PasswordAccepted());
        if (!result.Succeeded)
        {
            logger.LogInformation("Sign-in failed for {UserName} (locked out: {LockedOut})", request.UserName, result.IsLockedOut);
            // One answer for every failure, so that it does not tell which user names exist.
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed",
                detail: "The user name or password is wrong, or the account is locked.");
        }
        var principal = await signIn.CreateUserPrincipalAsync(person!);
        return TypedResults.Ok(View(principal));
    }

    /// <summary>
    /// For the edge only: 200 with <c>X-Access-Token</c> when the request carries a valid session cookie, 200 without
    /// it otherwise, so that the service behind the edge decides (401) and machine clients' own bearer tokens pass.
    /// </summary>
    private static async Task<IResult> SessionToken(
        HttpContext http, TokenIssuer issuer, IOptions<ServiceDefaults.Authentication.TokenOptions> options, ILogger<TokenIssuer> logger, CancellationToken cancellationToken)
    {
        var result = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var method = http.Request.Headers[CrossSiteRequests.OriginalMethodHeader].ToString();
        if (result.Succeeded && CrossSiteRequests.IsStateChanging(method.Length > 0 ? method : "GET")
            && CrossSiteRequests.IsFromAnotherSite(http.Request, options.Value.Issuer))
        {
            logger.LogWarning("Cross-site {Method} with the session of {UserName} refused (Origin {Origin})",
                method, result.Principal.Identity?.Name, http.Request.Headers.Origin.ToString());
            return CrossSiteRequests.Refused();
        }
        if (result.Succeeded && !SecondFactor.MustEnrol(result.Principal))
        {
            var view = View(result.Principal);
            var subject = result.Principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? view.UserName;
            var token = await issuer.IssueAsync(new TokenSubject(subject, view.UserName, view.Party, view.Organisation, view.Roles, null), cancellationToken);
            http.Response.Headers[AccessTokenHeader] = token;
        }
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok();
    }

    public static SessionView View(ClaimsPrincipal principal) => new(
        principal.Identity?.Name ?? "",
        principal.FindFirstValue(PlatformClaims.Party) ?? "",
        Guid.TryParse(principal.FindFirstValue(PlatformClaims.Organisation), out var organisation) ? organisation : Guid.Empty,
        principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Order().ToList(),
        SecondFactor.MustEnrol(principal),
        principal.HasClaim(SecondFactor.EnabledClaim, "on"));
}

/// <summary>
/// Puts party and organisation into the session's principal, beside the user's roles, and marks the session of a
/// person who must enrol a second factor and has not.
/// </summary>
public sealed class PlatformUserClaimsFactory(
    UserManager<User> users, RoleManager<IdentityRole<Guid>> roles, Microsoft.Extensions.Options.IOptions<IdentityOptions> options,
    IConfiguration configuration)
    : UserClaimsPrincipalFactory<User, IdentityRole<Guid>>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(User user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(PlatformClaims.Party, user.Party));
        identity.AddClaim(new Claim(PlatformClaims.Organisation, user.OrganisationId.ToString()));
        if (user.TwoFactorEnabled)
            identity.AddClaim(new Claim(SecondFactor.EnabledClaim, "on"));
        else if (SecondFactor.IsRequired(await UserManager.GetRolesAsync(user), configuration))
            identity.AddClaim(new Claim(SecondFactor.EnrolmentClaim, "required"));
        return identity;
    }
}
