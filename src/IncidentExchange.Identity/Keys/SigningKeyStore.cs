using System.Security.Cryptography;
using IncidentExchange.Identity.Data;
using IncidentExchange.ServiceDefaults.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace IncidentExchange.Identity.Keys;

/// <summary>
/// The signing keys, kept in this service's database so that every replica and every restart signs with the same key.
/// The first start creates one. Key rotation with overlap is the identity issue's work.
/// </summary>
public sealed class SigningKeyStore(IServiceScopeFactory scopes, ILogger<SigningKeyStore> logger) : ISigningKeySource
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<RsaSecurityKey>? _keys;

    /// <summary>The key new tokens are signed with: the newest one not retired.</summary>
    public async Task<RsaSecurityKey> GetSigningKeyAsync(CancellationToken cancellationToken) =>
        (await LoadAsync(cancellationToken))[0];

    /// <summary>Every key whose tokens may still be valid, newest first.</summary>
    public async Task<IReadOnlyList<RsaSecurityKey>> GetPublishedKeysAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken);

    async ValueTask<IReadOnlyList<SecurityKey>> ISigningKeySource.GetKeysAsync(bool refresh, CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken);

    private async Task<IReadOnlyList<RsaSecurityKey>> LoadAsync(CancellationToken cancellationToken)
    {
        if (_keys is { } loaded)
            return loaded;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_keys is { } again)
                return again;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            var rows = await db.SigningKeys.Where(k => k.RetiredAt == null).OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                using var rsa = RSA.Create(2048);
                var created = new SigningKey
                {
                    KeyId = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12)),
                    PrivateKeyPem = rsa.ExportPkcs8PrivateKeyPem(),
                    CreatedAt = DateTimeOffset.UtcNow,
                };
                db.SigningKeys.Add(created);
                await db.SaveChangesAsync(cancellationToken);
                logger.LogInformation("Created signing key {KeyId}", created.KeyId);
                rows.Add(created);
            }
            _keys = rows.Select(ToSecurityKey).ToList();
            return _keys;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static RsaSecurityKey ToSecurityKey(SigningKey row)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(row.PrivateKeyPem);
        return new RsaSecurityKey(rsa) { KeyId = row.KeyId };
    }
}
