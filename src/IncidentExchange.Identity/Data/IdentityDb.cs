using IncidentExchange.ServiceDefaults.Data;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Identity.Data;

public sealed class IdentityDb(DbContextOptions<IdentityDb> options) : IdentityDbContext<User, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<Party> Parties => Set<Party>();
    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<ApiClient> ApiClients => Set<ApiClient>();
    public DbSet<ClientSecret> ClientSecrets => Set<ClientSecret>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<Party>(party =>
        {
            party.HasKey(p => p.Code);
            party.Property(p => p.Code).HasMaxLength(8);
            party.Property(p => p.Name).HasMaxLength(200);
        });
        builder.Entity<Organisation>(organisation =>
        {
            organisation.Property(o => o.Code).HasMaxLength(64);
            organisation.HasIndex(o => o.Code).IsUnique();
            organisation.Property(o => o.Name).HasMaxLength(200);
            organisation.Property(o => o.Kind).HasMaxLength(32);
            organisation.HasOne<Party>().WithMany().HasForeignKey(o => o.Party);
        });
        builder.Entity<User>(user =>
        {
            user.Property(u => u.Party).HasMaxLength(8);
            user.HasOne<Organisation>().WithMany().HasForeignKey(u => u.OrganisationId);
        });
        builder.Entity<ApiClient>(client =>
        {
            client.HasKey(c => c.ClientId);
            client.Property(c => c.ClientId).HasMaxLength(100);
            client.Property(c => c.Party).HasMaxLength(8);
            client.HasOne<Organisation>().WithMany().HasForeignKey(c => c.OrganisationId);
        });
        builder.Entity<ClientSecret>(secret =>
        {
            secret.Property(c => c.ClientId).HasMaxLength(100);
            secret.Property(c => c.Hash).HasMaxLength(64);
            secret.HasOne<ApiClient>().WithMany().HasForeignKey(c => c.ClientId);
            secret.HasIndex(c => c.ClientId);
        });
        builder.Entity<AuditEvent>(audit =>
        {
            audit.ToTable("audit_events");
            audit.Property(a => a.Party).HasMaxLength(8);
            audit.Property(a => a.Actor).HasMaxLength(256);
            audit.Property(a => a.Action).HasMaxLength(64);
            audit.Property(a => a.Target).HasMaxLength(256);
            audit.Property(a => a.Outcome).HasMaxLength(64);
            audit.Property(a => a.Address).HasMaxLength(64);
            audit.HasIndex(a => new { a.Party, a.Id });
        });
        builder.Entity<Invitation>(invitation =>
        {
            invitation.Property(i => i.Party).HasMaxLength(8);
            invitation.Property(i => i.CodeHash).HasMaxLength(64);
            invitation.HasIndex(i => i.CodeHash).IsUnique();
            invitation.Property(i => i.CreatedBy).HasMaxLength(256);
            invitation.HasOne<Organisation>().WithMany().HasForeignKey(i => i.OrganisationId);
        });
        builder.Entity<SigningKey>(key =>
        {
            key.HasKey(k => k.KeyId);
            key.Property(k => k.KeyId).HasMaxLength(64);
        });
        builder.UseSnakeCaseNames();
    }
}

/// <summary>A government taking part in the exchange.</summary>
public sealed class Party
{
    public required string Code { get; init; }
    public required string Name { get; set; }
    public required string[] Languages { get; set; }
}

/// <summary>A party's contact point or one of its labs.</summary>
public sealed class Organisation
{
    public const string ContactPoint = "contact-point";
    public const string Lab = "lab";

    public Guid Id { get; init; }
    public required string Code { get; init; }
    public required string Name { get; set; }
    public required string Party { get; init; }
    public required string Kind { get; init; }
}

/// <summary>A person, belonging to one party and one organisation.</summary>
public sealed class User : IdentityUser<Guid>
{
    public required string Party { get; init; }
    public Guid OrganisationId { get; init; }

    /// <summary>The TOTP time step of the last authenticator code accepted, so that no code works twice.</summary>
    public long? LastTotpStep { get; set; }
}

/// <summary>A machine client (OAuth2 client credentials), with up to two active secrets (<see cref="ClientSecret"/>).</summary>
public sealed class ApiClient
{
    public required string ClientId { get; init; }
    public required string Party { get; init; }
    public Guid OrganisationId { get; init; }
    public required string[] Roles { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>
/// One secret of a machine client, kept only as a SHA-256 hash and shown once when made. Two may be active at a time,
/// so that a client's systems can move to a new secret before the old one is revoked.
/// </summary>
public sealed class ClientSecret
{
    public const int MaxActive = 2;

    public Guid Id { get; init; }
    public required string ClientId { get; init; }
    public required string Hash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>Something security-relevant that happened: who did what to what, with what outcome, when and from where.</summary>
public sealed class AuditEvent
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>The party whose auditors see it; null when nobody's (a sign-in with an unknown user name).</summary>
    public string? Party { get; init; }
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public string? Target { get; init; }
    public required string Outcome { get; init; }
    public string? Address { get; init; }
}

/// <summary>
/// A party admin's invitation of a person into an organisation with roles. The code is shown to the admin once and
/// stored as its SHA-256; it works once, until <see cref="ExpiresAt"/>.
/// </summary>
public sealed class Invitation
{
    public Guid Id { get; init; }
    public required string Party { get; init; }
    public Guid OrganisationId { get; init; }
    public required string[] Roles { get; init; }
    public required string CodeHash { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public Guid? AcceptedUserId { get; set; }
}

/// <summary>
/// An RSA key that signs tokens; its public half is published in the JWKS. The private key is stored protected by Data
/// Protection (<see cref="Keys.KeyProtection"/>), whose own keys are encrypted to a certificate outside the database.
/// </summary>
public sealed class SigningKey
{
    public required string KeyId { get; init; }
    public required string ProtectedPrivateKey { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RetiredAt { get; set; }
}
