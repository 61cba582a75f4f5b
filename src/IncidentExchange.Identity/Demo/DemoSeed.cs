using System.Text.Json;
using IncidentExchange.Identity.Data;
using IncidentExchange.Identity.Tokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Identity.Demo;

/// <summary>Demo mode (<c>Demo:Enabled</c>): parties, organisations, people and API clients from ops/demo/. Idempotent.</summary>
public static class DemoSeed
{
    private sealed record DemoData(List<DemoParty> Parties, List<DemoOrganisation> Organisations, List<DemoUser> Users);
    private sealed record DemoParty(string Code, string Name, string[] Languages);
    private sealed record DemoOrganisation(Guid Id, string Code, string Name, string Party, string Kind);
    private sealed record DemoUser(string UserName, string Password, string Organisation, string[] Roles);
    private sealed record DemoClient(string ClientId, string ClientSecret, string Party, string Organisation, string[] Roles);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static async Task SeedDemoAsync(this WebApplication app)
    {
        var config = app.Configuration.GetSection("Demo");
        if (!config.GetValue<bool>("Enabled"))
            return;
        var data = Read<DemoData>(config["SeedFile"]);
        var clients = Read<List<DemoClient>>(config["ClientsFile"]);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>();

        foreach (var party in data.Parties)
            if (!await db.Parties.AnyAsync(p => p.Code == party.Code))
                db.Parties.Add(new Party { Code = party.Code, Name = party.Name, Languages = party.Languages });
        foreach (var org in data.Organisations)
            if (!await db.Organisations.AnyAsync(o => o.Id == org.Id))
                db.Organisations.Add(new Organisation { Id = org.Id, Code = org.Code, Name = org.Name, Party = org.Party, Kind = org.Kind });
        await db.SaveChangesAsync();
        var organisations = await db.Organisations.ToDictionaryAsync(o => o.Code);

        foreach (var role in ServiceDefaults.Authentication.Roles.All)
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole<Guid>(role)));

        foreach (var person in data.Users)
        {
            if (await users.FindByNameAsync(person.UserName) is not null)
                continue;
            var organisation = organisations[person.Organisation];
            var user = new User { UserName = person.UserName, Party = organisation.Party, OrganisationId = organisation.Id, LockoutEnabled = true };
            Check(await users.CreateAsync(user, person.Password));
            Check(await users.AddToRolesAsync(user, person.Roles));
        }

        foreach (var client in clients)
        {
            var organisation = organisations[client.Organisation];
            if (organisation.Party != client.Party)
                throw new InvalidOperationException($"Demo client {client.ClientId} names party {client.Party} but organisation {organisation.Code} is in {organisation.Party}.");
            var existing = await db.ApiClients.FindAsync(client.ClientId);
            if (existing is null)
                db.ApiClients.Add(new ApiClient
                {
                    ClientId = client.ClientId,
                    Party = client.Party,
                    OrganisationId = organisation.Id,
                    Roles = client.Roles,
                    CreatedAt = DateTimeOffset.UtcNow,
                });
            else
                existing.Roles = client.Roles;
            // The demo secret is the client's one active secret, whatever was made since.
            var hash = TokenEndpoint.HashSecret(client.ClientSecret);
            var active = await db.ClientSecrets.Where(s => s.ClientId == client.ClientId && s.RevokedAt == null).ToListAsync();
            if (active.Count != 1 || active[0].Hash != hash)
            {
                foreach (var secret in active)
                    secret.RevokedAt = DateTimeOffset.UtcNow;
                db.ClientSecrets.Add(new ClientSecret { Id = Guid.NewGuid(), ClientId = client.ClientId, Hash = hash, CreatedAt = DateTimeOffset.UtcNow });
            }
        }
        await db.SaveChangesAsync();
        app.Logger.LogInformation("Demo mode: seeded {Parties} parties, {Organisations} organisations, {Users} users, {Clients} clients",
            data.Parties.Count, data.Organisations.Count, data.Users.Count, clients.Count);
    }

    private static T Read<T>(string? path) =>
        JsonSerializer.Deserialize<T>(File.ReadAllText(path ?? throw new InvalidOperationException("Demo mode needs Demo:SeedFile and Demo:ClientsFile.")), Options)
        ?? throw new InvalidOperationException($"{path} is empty.");

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
