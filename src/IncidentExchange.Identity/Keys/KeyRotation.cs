using System.Security.Claims;
using IncidentExchange.Identity.Audit;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.Extensions.Options;

namespace IncidentExchange.Identity.Keys;

/// <summary>How often signing keys are replaced; bound from the <c>Keys</c> configuration section.</summary>
public sealed class KeyRotationOptions
{
    public TimeSpan RotateAfter { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>
/// Rotates the signing key when the newest is older than <see cref="KeyRotationOptions.RotateAfter"/> (checked hourly),
/// and lets an <c>admin</c> rotate at once: <c>POST /connect/keys/rotate</c>, with <c>{"compromised": true}</c> to
/// unpublish the old keys without overlap.
/// </summary>
public sealed class KeyRotation(SigningKeyStore keys, IOptions<KeyRotationOptions> options, TimeProvider clock, ILogger<KeyRotation> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                await keys.RotateAsync(compromised: false, stoppingToken, onlyIfOlderThan: options.Value.RotateAfter);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Scheduled key rotation failed; trying again in an hour");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

public static class KeyRotationEndpoint
{
    public sealed record RotateRequest(bool Compromised);

    public sealed record Rotated(string KeyId, bool Compromised);

    public static IEndpointRouteBuilder MapKeyRotation(this IEndpointRouteBuilder app)
    {
        app.MapPost("/connect/keys/rotate", async (RotateRequest? request, ClaimsPrincipal user, SigningKeyStore store, AuditLog audit, CancellationToken cancellationToken) =>
            {
                var compromised = request?.Compromised ?? false;
                var keyId = (await store.RotateAsync(compromised, cancellationToken))!;
                await audit.RecordAsync(user.PartyOf(), user.SubjectOf(), "keys-rotated", keyId, compromised ? "old keys unpublished (compromised)" : "old keys retired with overlap");
                return TypedResults.Ok(new Rotated(keyId, compromised));
            })
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(TokenAuthentication.SchemeName).RequireRole(Roles.Admin));
        return app;
    }
}
