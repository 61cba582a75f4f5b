using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.Extensions.Options;

namespace IncidentExchange.Identity.Sessions;

/// <summary>
/// Protection against cross-site request forgery, beside the session cookie's SameSite=Strict: a state-changing
/// request that a browser sent from another origin (its <c>Origin</c> header names a site other than the platform's
/// public origin) is refused, before a session cookie can act. Browsers send <c>Origin</c> with every cross-origin
/// POST, PUT, PATCH and DELETE; clients that are not browsers send none and carry no one else's cookie.
/// Applied here to the identity service's own endpoints, and at the edge through <c>/connect/session-token</c>,
/// which is told the original request's method.
/// </summary>
public static class CrossSiteRequests
{
    /// <summary>The edge's name for the method of the request it asks a token for.</summary>
    public const string OriginalMethodHeader = "X-Original-Method";

    public static bool IsStateChanging(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));

    /// <summary>True when the request says it comes from a page of another origin than the platform's.</summary>
    public static bool IsFromAnotherSite(HttpRequest request, string ownOrigin)
    {
        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && !string.Equals(origin.TrimEnd('/'), ownOrigin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
    }

    public static IResult Refused() => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused",
        detail: "A request that changes something must come from the platform's own pages.");

    /// <summary>Refuses cross-site state-changing requests to this service's <c>/connect</c> endpoints.</summary>
    public static WebApplication UseCrossSiteRequestProtection(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            var issuer = http.RequestServices.GetRequiredService<IOptions<TokenOptions>>().Value.Issuer;
            if (http.Request.Path.StartsWithSegments("/connect") && IsStateChanging(http.Request.Method) && IsFromAnotherSite(http.Request, issuer))
            {
                await Refused().ExecuteAsync(http);
                return;
            }
            await next(http);
        });
        return app;
    }
}
