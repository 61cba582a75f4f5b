using IncidentExchange.ServiceDefaults.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Identity.Data;

public sealed class IdentityDb(DbContextOptions<IdentityDb> options) : IdentityDbContext<User, IdentityRole<Guid>, Guid>(options)
{
    public DbSet<Party> Parties => Set<Party>();
    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<ApiClient> ApiClients => Set<ApiClient>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

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
            client.Property(c => c.SecretHash).HasMaxLength(64);
            client.Property(c => c.Party).HasMaxLength(8);
            client.HasOne<Organisation>().WithMany().HasForeignKey(c => c.OrganisationId);
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
}

/// <summary>A machine client (OAuth2 client credentials). The secret is kept only as a SHA-256 hash.</summary>
public sealed class ApiClient
{
    public required string ClientId { get; init; }
    public required string SecretHash { get; set; }
    public required string Party { get; init; }
    public Guid OrganisationId { get; init; }
    public required string[] Roles { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>An RSA key that signs tokens; its public half is published in the JWKS.</summary>
public sealed class SigningKey
{
    public required string KeyId { get; init; }
    public required string PrivateKeyPem { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RetiredAt { get; set; }
}
