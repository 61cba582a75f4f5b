using System.Net.Http.Json;
using Xunit;

namespace IncidentExchange.Testing;

/// <summary>
/// The shape of a service's authorisation matrix: every endpoint × every caller, one request per cell, judged allowed
/// or denied. Allowed is a 2xx answer, and a read's answer holds the object; denied is 403 or 404 — or, for a list (a
/// GET with a query), a 2xx answer without the object — and never anything of the object in the answer.
/// </summary>
public static class AuthorizationMatrix
{
    public sealed record Request(string Method, string Path, object? Body = null);

    public static TheoryData<string, string> Cells(IEnumerable<string> endpoints, IEnumerable<string> callers)
    {
        var cells = new TheoryData<string, string>();
        foreach (var endpoint in endpoints)
            foreach (var caller in callers)
                cells.Add(endpoint, caller);
        return cells;
    }

    /// <param name="objectId">What a read's answer holds when allowed, and a list's does not when denied.</param>
    /// <param name="objectText">Something of the object that a denied caller must never get (its title).</param>
    public static async Task AssertAsync(
        HttpClient client, Request request, string caller, string endpoint, bool allowed, string objectId, string objectText)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path)
        {
            Content = request.Body is null ? null : JsonContent.Create(request.Body),
        };
        var response = await client.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        var read = request.Method == "GET";
        if (allowed)
        {
            Assert.True(response.IsSuccessStatusCode && (!read || body.Contains(objectId)),
                $"{caller} should {endpoint} but got {(int)response.StatusCode}: {body}");
            return;
        }
        Assert.True((int)response.StatusCode is 403 or 404 || (read && request.Path.Contains('?') && response.IsSuccessStatusCode),
            $"{caller} should not {endpoint} but got {(int)response.StatusCode}: {body}");
        Assert.DoesNotContain(objectText, body);
        if (response.IsSuccessStatusCode)
            Assert.DoesNotContain(objectId, body);
    }
}
