using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using IncidentExchange.Testing;
using Npgsql;

namespace IncidentExchange.Identity.Tests.Keys;

/// <summary>A second Identity process on the same database and certificate file: another replica, or a re-created container.</summary>
public sealed class IdentityReplica(TestDatabase database) : ServiceFactory<Program>(database)
{
    protected override bool TrustTestTokens => false;
}

/// <summary>
/// What a backup of Identity's database holds is no usable secret (the signing keys are stored protected, the Data
/// Protection keys encrypted to a certificate outside the database), while the service itself, with its certificate
/// file, signs with the same key and honours the same sessions across a restart or a second replica.
/// </summary>
public sealed class KeyProtectionTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private async Task<List<string>> ColumnAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(factory.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
            values.Add(reader.GetString(0));
        return values;
    }

    [Fact]
    public async Task The_database_holds_no_private_key_in_the_clear()
    {
        await factory.TokenAsync(IdentityFactory.UsLabClient, IdentityFactory.UsLabSecret);

        var signingKeys = await ColumnAsync("SELECT protected_private_key FROM signing_keys");
        Assert.NotEmpty(signingKeys);
        foreach (var stored in signingKeys)
        {
            Assert.DoesNotContain("PRIVATE KEY", stored);
            Assert.ThrowsAny<ArgumentException>(() => RSA.Create().ImportFromPem(stored));
        }

        var ring = await ColumnAsync("SELECT xml FROM data_protection_keys");
        Assert.NotEmpty(ring);
        foreach (var xml in ring)
        {
            Assert.Contains("<encryptedSecret", xml);
            Assert.Contains("<EncryptedData", xml);
            Assert.DoesNotContain("<masterKey", xml);
        }
    }

    [Fact]
    public async Task Another_replica_with_the_certificate_signs_with_the_same_key_and_honours_the_session()
    {
        var browser = factory.CreateClient();
        var login = await browser.PostAsJsonAsync("/connect/login", new { userName = IdentityFactory.UsOfficer, password = IdentityFactory.UsOfficerPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var keys = await factory.CreateClient().GetFromJsonAsync<System.Text.Json.JsonElement>("/.well-known/jwks.json");

        await using var replica = new IdentityReplica(factory.Database);
        await replica.InitializeAsync();
        var session = new HttpRequestMessage(HttpMethod.Get, "/connect/session");
        session.Headers.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await replica.CreateClient().SendAsync(session)).StatusCode);
        var replicaKeys = await replica.CreateClient().GetFromJsonAsync<System.Text.Json.JsonElement>("/.well-known/jwks.json");
        Assert.Equal(keys.GetProperty("keys")[0].GetProperty("kid").GetString(), replicaKeys.GetProperty("keys")[0].GetProperty("kid").GetString());
    }
}
