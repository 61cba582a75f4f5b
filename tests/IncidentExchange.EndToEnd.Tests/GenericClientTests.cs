using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using IncidentExchange.Testing;

namespace IncidentExchange.EndToEnd.Tests;

/// <summary>
/// A generic OAuth 2.0 client library that nobody here wrote (openid-client, oauth-client/token.mjs) discovers the
/// issuer through the edge and obtains a client-credentials token, which the Reports API accepts.
/// </summary>
public sealed class GenericClientTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task Openid_client_discovers_the_issuer_and_its_token_files_a_report()
    {
        var start = new ProcessStartInfo("node", [Repository.PathOf("tests/IncidentExchange.EndToEnd.Tests/oauth-client/token.mjs"),
            Platform.Edge.GetLeftPart(UriPartial.Authority), "us-lab-demo", "demo-us-lab-secret-4f9c2b7e8a1d6053"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var output = await node.StandardOutput.ReadToEndAsync();
        var errors = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, errors);

        var filed = await platform.ClientWithToken(output.Trim()).PostAsJsonAsync("/api/v1/reports", Platform.SampleReport($"Filed with openid-client {Guid.NewGuid():N}"));
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
    }
}
