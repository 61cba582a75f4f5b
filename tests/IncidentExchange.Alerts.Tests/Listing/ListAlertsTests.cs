using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Alerts.Data;
using IncidentExchange.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Alerts.Tests.Listing;

public sealed class ListAlertsTests : IClassFixture<ServiceFactory<Program>>, IAsyncLifetime
{
    private readonly ServiceFactory<Program> _factory;

    public ListAlertsTests(ServiceFactory<Program> factory) => _factory = factory;

    private HttpClient Officer(string party, params string[] roles) =>
        _factory.ClientWithToken(TestTokens.Issue(party, Guid.NewGuid(), roles.Length > 0 ? roles : ["ncp-officer"]));

    public async Task InitializeAsync()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlertsDb>();
        if (db.Alerts.Any())
            return;
        for (var i = 1; i <= 3; i++)
            db.Alerts.Add(NewAlert("US", i, $"US alert {i}"));
        db.Alerts.Add(NewAlert("CN", 1, "CN alert 1"));
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static Alert NewAlert(string party, long sequence, string title) => new()
    {
        Id = Guid.NewGuid(), Party = party, Sequence = sequence, Kind = Alert.ReportKind, ReportId = Guid.NewGuid(), ReportVersion = 1,
        Severity = 3, SeverityLabelEn = "Moderate", SeverityLabelZh = "中", Title = title, Category = "other", RaisedAt = DateTimeOffset.UtcNow,
        RuleSetVersion = "1", EscalationLadder = "[]",
    };

    private static List<string> Titles(JsonElement page) =>
        page.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("title").GetString()!).ToList();

    [Fact]
    public async Task Contact_point_sees_its_own_partys_alerts_after_a_sequence_in_order()
    {
        var page = await Officer("US").GetFromJsonAsync<JsonElement>("/api/v1/alerts?after=1");
        Assert.Equal(["US alert 2", "US alert 3"], Titles(page));
    }

    [Fact]
    public async Task Counterpart_sees_none_of_the_other_partys_alerts()
    {
        var page = await Officer("CN", "ncp-duty").GetFromJsonAsync<JsonElement>("/api/v1/alerts?after=0");
        Assert.Equal(["CN alert 1"], Titles(page));
    }

    [Fact]
    public async Task Limit_bounds_the_page()
    {
        var page = await Officer("US").GetFromJsonAsync<JsonElement>("/api/v1/alerts?after=0&limit=2");
        Assert.Equal(["US alert 1", "US alert 2"], Titles(page));
    }

    [Fact]
    public async Task Latest_gives_the_newest_of_the_partys_own_alerts_oldest_first()
    {
        var page = await Officer("US").GetFromJsonAsync<JsonElement>("/api/v1/alerts?latest=true&limit=2");
        Assert.Equal(["US alert 2", "US alert 3"], Titles(page));
        Assert.Equal(["CN alert 1"], Titles(await Officer("CN").GetFromJsonAsync<JsonElement>("/api/v1/alerts?latest=true&limit=2")));
    }

    [Theory]
    [InlineData("/api/v1/alerts?after=-1")]
    [InlineData("/api/v1/alerts?limit=0")]
    [InlineData("/api/v1/alerts?limit=100000")]
    [InlineData("/api/v1/alerts?after=abc")]
    public async Task Bad_query_is_400_problem(string url)
    {
        var response = await Officer("US").GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Lab_reporter_may_not_list_alerts()
    {
        var response = await Officer("US", "reporter").GetAsync("/api/v1/alerts");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task No_token_is_401()
    {
        var response = await _factory.ClientWithToken(null).GetAsync("/api/v1/alerts");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
