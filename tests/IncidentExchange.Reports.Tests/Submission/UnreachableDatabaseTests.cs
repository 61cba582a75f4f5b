using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Testing;
using Npgsql;

namespace IncidentExchange.Reports.Tests.Submission;

/// <summary>
/// The Reports service reaches its database through a relay that the test cuts: the database goes away. (The relay's
/// listener ends with the test process; the database is dropped with its connections as for every fixture.)
/// </summary>
public sealed class ReportsBehindRelayFactory : ReportsFactory
{
    private TcpRelay? _relay;

    public TcpRelay Relay => _relay ??= Target(builder => new TcpRelay(builder.Host!, builder.Port));

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [new("ConnectionStrings:Database", Target(builder => { builder.Host = "127.0.0.1"; builder.Port = Relay.Port; return builder.ConnectionString; }))];

    private T Target<T>(Func<NpgsqlConnectionStringBuilder, T> use) => use(new NpgsqlConnectionStringBuilder(Database.ConnectionString));
}

public sealed class UnreachableDatabaseTests(ReportsBehindRelayFactory factory) : IClassFixture<ReportsBehindRelayFactory>
{
    [Fact]
    public async Task While_the_database_is_unreachable_a_report_gets_503_with_retry_after_and_once_it_is_back_the_retry_is_accepted()
    {
        var lab = factory.UsLabClient();
        Assert.Equal(HttpStatusCode.Created, (await lab.PostAsJsonAsync("/api/v1/reports", ReportsFactory.ValidReport("Before the outage"))).StatusCode);
        var before = await factory.Database.ScalarAsync<long>("SELECT count(*) FROM reports");

        factory.Relay.Cut();
        var refused = await lab.PostAsJsonAsync("/api/v1/reports", ReportsFactory.ValidReport("During the outage"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var text = await refused.Content.ReadAsStringAsync();
        Assert.Equal(503, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
        Assert.DoesNotContain("Npgsql", text);
        Assert.DoesNotContain("   at ", text);
        Assert.Equal(before, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM reports"));

        factory.Relay.Restore();
        var accepted = await lab.PostAsJsonAsync("/api/v1/reports", ReportsFactory.ValidReport("During the outage"));

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(before + 1, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM reports"));
    }
}
