using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentExchange.Testing;

namespace IncidentExchange.EndToEnd.Tests;

/// <summary>
/// The platform as a user starts it (ops/start.sh), reached only through its edge: <c>IX_EDGE_URL</c>, by default
/// http://127.0.0.1:8080. ops/test.sh starts it before the tests run.
/// </summary>
public sealed class Platform : IAsyncLifetime
{
    public static readonly Uri Edge = new(Environment.GetEnvironmentVariable("IX_EDGE_URL") ?? "http://127.0.0.1:8080");

    private static readonly Dictionary<string, string> Secrets = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("ops/demo/clients.json")))
        .RootElement.EnumerateArray().ToDictionary(c => c.GetProperty("clientId").GetString()!, c => c.GetProperty("clientSecret").GetString()!);

    public HttpClient Http { get; } = new() { BaseAddress = Edge };

    /// <summary>A valid report a US lab might file; triage finds the non-state-actor and ongoing signals in it.</summary>
    public static object SampleReport(string title) => new
    {
        title,
        summary = "Model weights of Frontier-1 are offered for sale on a forum by a criminal group; the offer is ongoing.",
        language = "en",
        kind = "incident",
        category = "weights-leak",
        timeline = new { occurredAt = DateTimeOffset.UtcNow.AddHours(-3), detectedAt = DateTimeOffset.UtcNow.AddHours(-2) },
        model = new { name = "Frontier-1", developer = "Example US Frontier Lab" },
        tlp = "AMBER",
    };

    public async Task InitializeAsync()
    {
        try
        {
            (await Http.GetAsync("/.well-known/openid-configuration")).EnsureSuccessStatusCode();
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"The platform is not answering at {Edge}: start it with ops/start.sh, or run ops/test.sh.", e);
        }
    }

    public Task DisposeAsync()
    {
        Http.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>An access token for a demo client, by the client-credentials grant at the edge.</summary>
    public async Task<string> TokenAsync(string clientId)
    {
        var response = await Http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = Secrets[clientId],
        }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    /// <summary>The last alert sequence number of the token holder's party, so that a test looks only at what it caused.</summary>
    public async Task<long> LastSequenceAsync(string token)
    {
        var client = ClientWithToken(token);
        for (long last = 0; ;)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?after={last}&limit=500");
            var alerts = page.GetProperty("alerts");
            if (alerts.GetArrayLength() == 0)
                return last;
            last = alerts[alerts.GetArrayLength() - 1].GetProperty("sequence").GetInt64();
        }
    }

    /// <summary>Every alert of the token holder's party after a sequence number.</summary>
    public async Task<List<JsonElement>> AlertsAfterAsync(string token, long after)
    {
        var client = ClientWithToken(token);
        var all = new List<JsonElement>();
        for (; ; )
        {
            var page = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?after={after}&limit=500")).GetProperty("alerts");
            all.AddRange(page.EnumerateArray());
            if (page.GetArrayLength() < 500)
                return all;
            after = all[^1].GetProperty("sequence").GetInt64();
        }
    }

    public HttpClient ClientWithToken(string? token)
    {
        var client = new HttpClient { BaseAddress = Edge };
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
