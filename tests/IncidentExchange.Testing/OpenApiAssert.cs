using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace IncidentExchange.Testing;

/// <summary>
/// Compares the OpenAPI document a service serves with the committed copy in protocols/openapi/, so that an endpoint
/// or a request shape cannot change without its description. After an intended change, run the service's tests with
/// <c>IX_UPDATE_PROTOCOLS=1</c> to write the new copy, and commit it with the change.
/// </summary>
public static class OpenApiAssert
{
    public static async Task MatchesCommittedAsync(HttpClient client, string service)
    {
        var served = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!.AsObject();
        served.Remove("servers"); // the test server's address, not part of the contract
        var text = served.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

        var committed = Repository.PathOf($"protocols/openapi/{service}.json");
        if (Environment.GetEnvironmentVariable("IX_UPDATE_PROTOCOLS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(committed)!);
            await File.WriteAllTextAsync(committed, text);
            return;
        }
        var actual = Repository.PathOf($".run/openapi/{service}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(actual)!);
        await File.WriteAllTextAsync(actual, text);
        Assert.True(File.Exists(committed) && await File.ReadAllTextAsync(committed) == text,
            $"The {service} service's API differs from protocols/openapi/{service}.json (served copy: .run/openapi/{service}.json). " +
            "If the change is intended, update protocols/http-api.md and run its tests with IX_UPDATE_PROTOCOLS=1.");
    }
}
