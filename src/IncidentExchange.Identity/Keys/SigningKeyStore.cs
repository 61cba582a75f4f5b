using System.Security.Cryptography;
using IncidentExchange.Identity.Data;
using IncidentExchange.Identity.Tokens;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace IncidentExchange.Identity.Keys;

/// <summary>
/// The signing keys, kept in this service's database so that every replica and every restart signs with the same key.
/// New tokens are signed with the newest key; a rotation makes a new one and retires the others, which stay published
/// (in the JWKS, and trusted here) for <see cref="Overlap"/> so that the tokens they signed live out their lifetime.
/// A rotation because a key was compromised unpublishes the old keys at once. Each replica rereads the keys every
/// <see cref="CacheFor"/>, so that another replica's rotation reaches it. This service's own bearer-token validation
/// (JwtBearer) takes its keys from here, as its configuration manager, instead of fetching its own JWKS over HTTP.
/// </summary>
public sealed class SigningKeyStore(
    IServiceScopeFactory scopes, IDataProtectionProvider protection, IOptions<TokenOptions> options, TimeProvider clock, ILogger<SigningKeyStore> logger)
    : IConfigurationManager<OpenIdConnectConfiguration>
{
    /// <summary>A retired key stays published for the longest lifetime of a token it signed, plus validators' clock skew.</summary>
    public static readonly TimeSpan Overlap = TokenIssuer.Lifetime + TimeSpan.FromMinutes(1);

    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    private const long RotationLock = 0x1E_C0DE_0002;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IDataProtector _protector = protection.CreateProtector(KeyProtection.SigningKeysPurpose);
    private (IReadOnlyList<RsaSecurityKey> Keys, DateTimeOffset LoadedAt)? _cache;

    /// <summary>The key new tokens are signed with: the newest one not retired.</summary>
    public async Task<RsaSecurityKey> GetSigningKeyAsync(CancellationToken cancellationToken) =>
        (await LoadAsync(cancellationToken))[0];

    /// <summary>Every key whose tokens may still be valid, newest first.</summary>
    public async Task<IReadOnlyList<RsaSecurityKey>> GetPublishedKeysAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken);

    async Task<OpenIdConnectConfiguration> IConfigurationManager<OpenIdConnectConfiguration>.GetConfigurationAsync(CancellationToken cancel)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = options.Value.Issuer };
        foreach (var key in await LoadAsync(cancel))
            configuration.SigningKeys.Add(key);
        return configuration;
    }

    /// <summary>Nothing to do: the keys are reread from the database every <see cref="CacheFor"/>.</summary>
    void IConfigurationManager<OpenIdConnectConfiguration>.RequestRefresh()
    {
    }

    /// <summary>Makes a new signing key and retires the others: with the overlap, or at once when <paramref name="compromised"/>.</summary>
    /// <param name="onlyIfOlderThan">Rotate only when the newest key is at least this old (decided under the lock, so
    /// that replicas on the same schedule rotate once); null to rotate whatever its age.</param>
    /// <returns>The new key's id, or null when the newest key was young enough.</returns>
    public async Task<string?> RotateAsync(bool compromised, CancellationToken cancellationToken, TimeSpan? onlyIfOlderThan = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var keyId = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RotationLock})", cancellationToken);
            var now = clock.GetUtcNow();
            if (onlyIfOlderThan is { } age &&
                await db.SigningKeys.Where(k => k.RetiredAt == null).MaxAsync(k => (DateTimeOffset?)k.CreatedAt, cancellationToken) is { } newest &&
                now - newest < age)
                return null;
            var retireAt = compromised ? now - Overlap : now;
            await db.SigningKeys.Where(k => k.RetiredAt == null || k.RetiredAt > retireAt)
                .ExecuteUpdateAsync(k => k.SetProperty(x => x.RetiredAt, retireAt), cancellationToken);
            var created = Create(db, now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return created.KeyId;
        });
        if (keyId is null)
            return null;
        _cache = null;
        logger.LogWarning("Signing keys rotated: {KeyId} signs from now on; earlier keys {Retirement}", keyId,
            compromised ? "unpublished at once (compromised)" : $"published for {Overlap} more");
        return keyId;
    }

    private async Task<IReadOnlyList<RsaSecurityKey>> LoadAsync(CancellationToken cancellationToken)
    {
        if (_cache is { } cached && clock.GetUtcNow() - cached.LoadedAt < CacheFor)
            return cached.Keys;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cache is { } again && clock.GetUtcNow() - again.LoadedAt < CacheFor)
                return again.Keys;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            var now = clock.GetUtcNow();
            var publishedSince = now - Overlap;
            var rows = (await db.SigningKeys.Where(k => k.RetiredAt == null || k.RetiredAt > publishedSince)
                    .OrderBy(k => k.RetiredAt != null).ThenByDescending(k => k.CreatedAt)
                    .ToListAsync(cancellationToken))
                .Select(row => (Row: row, Key: ToSecurityKey(row))).Where(k => k.Key is not null).ToList();
            if (rows.Count == 0 || rows[0].Row.RetiredAt is not null)
            {
                // The first start, every key retired by hand, or none readable with this service's key ring (a
                // certificate other than the one they were stored under): a key to sign with. Two replicas starting
                // together may each make one; both are valid and the newer signs.
                var created = Create(db, now);
                await db.SaveChangesAsync(cancellationToken);
                logger.LogInformation("Created signing key {KeyId}", created.KeyId);
                rows.Insert(0, (created, ToSecurityKey(created)));
            }
            var keys = rows.Select(k => k.Key!).ToList();
            _cache = (keys, now);
            return keys;
        }
        finally
        {
            _gate.Release();
        }
    }

    private SigningKey Create(IdentityDb db, DateTimeOffset now)
    {
        using var rsa = RSA.Create(2048);
        var created = new SigningKey
        {
            KeyId = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12)),
            ProtectedPrivateKey = _protector.Protect(rsa.ExportPkcs8PrivateKeyPem()),
            CreatedAt = now,
        };
        db.SigningKeys.Add(created);
        return created;
    }

    private RsaSecurityKey? ToSecurityKey(SigningKey row)
    {
        string pem;
        try
        {
            pem = _protector.Unprotect(row.ProtectedPrivateKey);
        }
        catch (CryptographicException e)
        {
            logger.LogError(e, "Signing key {KeyId} cannot be unprotected with this service's key ring; it is not used", row.KeyId);
            return null;
        }
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaSecurityKey(rsa) { KeyId = row.KeyId };
    }
}
