using System.Security.Claims;
using System.Text.Encodings.Web;
using IncidentExchange.Identity.Audit;
using IncidentExchange.Identity.Data;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace IncidentExchange.Identity.Sessions;

/// <summary>
/// The second factor: TOTP (RFC 6238, any authenticator app) with one-time recovery codes. Required for every role
/// but <c>reporter</c> outside demo mode: until such a person has enrolled, their session can do nothing but enrol
/// (the edge gets no token for it). <c>POST /connect/second-factor/enrol</c> gives the shared key once, as text and as
/// an <c>otpauth://</c> URI; <c>POST /connect/second-factor/confirm</c> <c>{code}</c> turns it on and answers the ten
/// recovery codes, shown once. After that, signing in takes <c>POST /connect/login/second-factor</c>
/// <c>{code}</c> or <c>{recoveryCode}</c> (each recovery code works once); failures count towards the lockout.
/// </summary>
public static class SecondFactor
{
    /// <summary>On a session that must enrol before it may do anything else.</summary>
    public const string EnrolmentClaim = "ix_enrolment";

    /// <summary>On the session of a person whose second factor is on.</summary>
    public const string EnabledClaim = "ix_second_factor";

    public const int RecoveryCodes = 10;

    public sealed record EnrolView(string SharedKey, string OtpauthUri);

    public sealed record CodeRequest(string? Code);

    public sealed record SignInRequest(string? Code, string? RecoveryCode);

    public sealed record RecoveryCodesView(IReadOnlyList<string> RecoveryCodes);

    /// <summary>Whether a person with these roles must use a second factor.</summary>
    public static bool IsRequired(IEnumerable<string> roles, IConfiguration configuration) =>
        !configuration.GetValue<bool>("Demo:Enabled") && roles.Any(r => r != Roles.Reporter);

    public static IEndpointRouteBuilder MapSecondFactor(this IEndpointRouteBuilder app)
    {
        app.MapPost("/connect/login/second-factor", SignIn);
        app.MapPost("/connect/second-factor/enrol", Enrol);
        app.MapPost("/connect/second-factor/confirm", Confirm);
        return app;
    }

    private static async Task<IResult> SignIn(SignInRequest request, SignInManager<User> signIn, AuditLog audit, ILogger<SignInRequest> logger)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign in with your password first");

        SignInResult result;
        if (Bounded(request.Code, 16) is { } code)
            result = await signIn.TwoFactorAuthenticatorSignInAsync(code.Replace(" ", ""), isPersistent: false, rememberClient: false);
        else if (Bounded(request.RecoveryCode, 64) is { } recoveryCode)
            result = await signIn.TwoFactorRecoveryCodeSignInAsync(recoveryCode.Replace(" ", ""));
        else
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["code"] = ["code (6 digits) or recoveryCode is required."] },
                title: "The second factor is missing");

        await audit.RecordAsync(user.Party, user.UserName!, request.Code is null ? "sign-in-recovery-code" : "sign-in-second-factor", null,
            result.Succeeded ? "succeeded" : result.IsLockedOut ? "refused: locked out" : "refused");
        if (!result.Succeeded)
        {
            logger.LogInformation("Second factor refused for {UserName} (locked out: {LockedOut})", user.UserName, result.IsLockedOut);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed",
                detail: "The code is wrong or expired, or the account is locked.");
        }
        return TypedResults.Ok(SessionEndpoints.View(await signIn.CreateUserPrincipalAsync(user)));
    }

    private static async Task<IResult> Enrol(HttpContext http, SignInManager<User> signIn, IConfiguration configuration)
    {
        if (await SignedInUserAsync(http, signIn) is not { } user)
            return NotSignedIn();
        if (user.TwoFactorEnabled)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The second factor is already on");

        await signIn.UserManager.ResetAuthenticatorKeyAsync(user);
        var key = (await signIn.UserManager.GetAuthenticatorKeyAsync(user))!;
        var issuer = UrlEncoder.Default.Encode("IncidentExchange");
        var uri = $"otpauth://totp/{issuer}:{UrlEncoder.Default.Encode(user.UserName!)}?secret={key}&issuer={issuer}&digits=6&period=30";
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new EnrolView(key, uri));
    }

    private static async Task<IResult> Confirm(
        CodeRequest request, HttpContext http, SignInManager<User> signIn, AuditLog audit, ILogger<CodeRequest> logger)
    {
        if (await SignedInUserAsync(http, signIn) is not { } user)
            return NotSignedIn();
        if (user.TwoFactorEnabled)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The second factor is already on");
        var users = signIn.UserManager;
        if (Bounded(request.Code, 16) is not { } code || await users.GetAuthenticatorKeyAsync(user) is null ||
            !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code.Replace(" ", "")))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["code"] = ["The code does not match the key given at enrolment."] },
                title: "The second factor was not turned on");

        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodes))!.ToList();
        await signIn.RefreshSignInAsync(user); // the session loses its enrolment mark
        await audit.RecordAsync(user.Party, user.UserName!, "second-factor-enrolled", null, "succeeded");
        logger.LogInformation("Second factor turned on for {UserName}", user.UserName);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new RecoveryCodesView(codes));
    }

    private static async Task<User?> SignedInUserAsync(HttpContext http, SignInManager<User> signIn)
    {
        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        return session.Succeeded ? await signIn.UserManager.GetUserAsync(session.Principal) : null;
    }

    private static IResult NotSignedIn() => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in");

    private static string? Bounded(string? value, int max) =>
        string.IsNullOrWhiteSpace(value) || value.Length > max ? null : value.Trim();

    /// <summary>Whether a session's principal still has to enrol.</summary>
    public static bool MustEnrol(ClaimsPrincipal principal) => principal.HasClaim(EnrolmentClaim, "required");
}
