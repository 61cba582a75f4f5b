using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace IncidentExchange.Drills.Running;

/// <summary>
/// How the Drills service reaches the Reports API: its URL, the identity service's token endpoint, and for each lab
/// that files injects, that lab's machine client (a party gives the drills service a client of its exercise lab).
/// </summary>
public sealed class InjectorOptions
{
    public string ReportsUrl { get; set; } = "";
    public string TokenUrl { get; set; } = "";
    public Dictionary<string, InjectorClient> Injectors { get; set; } = [];

    /// <summary>A JSON list of machine clients as in ops/demo/clients.json: each reporter client serves its organisation as injector.</summary>
    public string? InjectorsFile { get; set; }

    public InjectorOptions WithInjectorsFile()
    {
        if (string.IsNullOrEmpty(InjectorsFile))
            return this;
        var clients = JsonSerializer.Deserialize<List<FileClient>>(File.ReadAllText(InjectorsFile), JsonSerializerOptions.Web) ?? [];
        foreach (var client in clients.Where(c => c.Roles?.Contains("reporter") == true && c.Organisation is not null))
            Injectors.TryAdd(client.Organisation!, new InjectorClient { ClientId = client.ClientId ?? "", ClientSecret = client.ClientSecret ?? "" });
        return this;
    }

    private sealed record FileClient(string? ClientId, string? ClientSecret, string? Organisation, List<string>? Roles);
}

public sealed class InjectorClient
{
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
}

/// <summary>Access tokens of the labs' machine clients, by the client-credentials grant, each reused until a minute before it expires.</summary>
public interface IInjectorTokens
{
    /// <summary>Null when no client is configured for the lab.</summary>
    Task<string?> TokenAsync(string lab, CancellationToken cancellationToken);
}

public sealed class ClientCredentialsTokens(IHttpClientFactory http, InjectorOptions options, TimeProvider clock) : IInjectorTokens
{
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _cache = new();

    public async Task<string?> TokenAsync(string lab, CancellationToken cancellationToken)
    {
        if (!options.Injectors.TryGetValue(lab, out var client))
            return null;
        if (_cache.TryGetValue(lab, out var cached) && cached.Expires > clock.GetUtcNow().AddMinutes(1))
            return cached.Token;
        using var response = await http.CreateClient(nameof(ClientCredentialsTokens)).PostAsync(options.TokenUrl, new FormUrlEncodedContent(
            new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = client.ClientId, ["client_secret"] = client.ClientSecret }),
            cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"The token endpoint refused lab {lab}'s client: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var token = body.GetProperty("access_token").GetString()!;
        _cache[lab] = (token, clock.GetUtcNow().AddSeconds(body.GetProperty("expires_in").GetInt32()));
        return token;
    }
}

/// <summary>Files an inject through the real Reports API, as its lab, under the inject's id as Idempotency-Key.</summary>
public sealed class InjectFiler(IHttpClientFactory http, IInjectorTokens tokens)
{
    public const string ReportsClient = "reports";

    public abstract record Outcome;

    public sealed record Filed(Guid ReportId) : Outcome;

    /// <summary>Reports refused the request (4xx other than 401/429): trying again would not help.</summary>
    public sealed record Refused(string Reason) : Outcome;

    public sealed record Failed(string Reason) : Outcome;

    public async Task<Outcome> FileAsync(Guid injectId, string lab, string body, CancellationToken cancellationToken)
    {
        string? token;
        try
        {
            token = await tokens.TokenAsync(lab, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return new Failed(e.Message);
        }
        if (token is null)
            return new Refused($"No machine client is configured for lab {lab} (Drills:Injectors:{lab}).");

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/reports") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", injectId.ToString());
        try
        {
            using var response = await http.CreateClient(ReportsClient).SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
                return new Filed(JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid());
            var reason = $"{(int)response.StatusCode}: {(text.Length > 800 ? text[..800] : text)}";
            return (int)response.StatusCode is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout)
                ? new Refused(reason)
                : new Failed(reason);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new Failed(e.Message);
        }
    }
}
