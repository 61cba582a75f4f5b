using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace IncidentExchange.ServiceDefaults.Authentication;

/// <summary>The public keys that may have signed a token.</summary>
public interface ISigningKeySource
{
    /// <param name="refresh">True when a token named a key we do not know: look again at the source.</param>
    ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(bool refresh, CancellationToken cancellationToken);
}

/// <summary>
/// Keys fetched from the issuer's JWKS and cached; fetched again every five minutes (so that a key the issuer retired,
/// or unpublished because it was compromised, stops being trusted soon after), and on an unknown <c>kid</c> at most
/// every ten seconds so that a flood of forged tokens cannot hammer the identity service.
/// </summary>
public sealed class JwksKeySource(HttpClient http, IOptions<TokenOptions> options, TimeProvider clock, ILogger<JwksKeySource> logger)
    : ISigningKeySource
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<SecurityKey> _keys = [];
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    public async ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(bool refresh, CancellationToken cancellationToken)
    {
        var age = clock.GetUtcNow() - _fetchedAt;
        if (age < MaxAge && !(refresh && age > MinRefreshInterval))
            return _keys;

        await _gate.WaitAsync(cancellationToken);
        try
        {
            age = clock.GetUtcNow() - _fetchedAt;
            if (age < MaxAge && !(refresh && age > MinRefreshInterval))
                return _keys;
            var json = await http.GetStringAsync(options.Value.JwksUri, cancellationToken);
            _keys = [.. new JsonWebKeySet(json).GetSigningKeys()];
            _fetchedAt = clock.GetUtcNow();
            logger.LogInformation("Fetched {KeyCount} signing keys from {JwksUri}", _keys.Count, options.Value.JwksUri);
        }
        catch (Exception e) when (e is HttpRequestException or ArgumentException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Keep the keys we have; tokens signed by them still validate while the issuer is away.
            logger.LogWarning(e, "Could not fetch signing keys from {JwksUri}", options.Value.JwksUri);
        }
        finally
        {
            _gate.Release();
        }
        return _keys;
    }
}
