using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using IncidentExchange.Gateway.Tests.Link;
using IncidentExchange.Testing;

namespace IncidentExchange.Gateway.Tests.Pairing;

/// <summary>The pairing ceremony's endpoints: who may use them, and which descriptors are refused.</summary>
public class PairingTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    [Fact]
    public async Task Each_node_has_pinned_the_other_ones_key()
    {
        var usDescriptor = JsonNode.Parse(await nodes.Us.Admin.GetStringAsync("/api/v1/gateway/descriptor"))!;
        var pinned = (await nodes.Cn.Admin.GetFromJsonAsync<JsonObject>("/api/v1/gateway/peer"))!;
        Assert.Equal("US", pinned["party"]!.GetValue<string>());
        Assert.Equal(usDescriptor["sig"]!["kid"]!.GetValue<string>(), pinned["thumbprint"]!.GetValue<string>());
    }

    [Fact]
    public async Task Importing_the_same_descriptor_again_changes_nothing()
    {
        var response = await Put(nodes.Cn, await nodes.Us.Admin.GetStringAsync("/api/v1/gateway/descriptor"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_descriptor_that_is_tampered_of_the_wrong_party_or_of_another_key_is_refused()
    {
        var descriptor = JsonNode.Parse(await nodes.Us.Admin.GetStringAsync("/api/v1/gateway/descriptor"))!.AsObject();
        var tampered = descriptor.DeepClone().AsObject();
        tampered["link"]!["broker"] = "amqp://intruder.example/";
        var own = await nodes.Cn.Admin.GetStringAsync("/api/v1/gateway/descriptor");

        var refusedTampered = await Put(nodes.Cn, tampered.ToJsonString());
        var refusedOwn = await Put(nodes.Cn, own);
        var refusedGarbage = await Put(nodes.Cn, """{"type":"descriptor"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refusedTampered.StatusCode);
        Assert.Contains("signature does not verify", await refusedTampered.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refusedOwn.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refusedGarbage.StatusCode);
        Assert.Equal("application/problem+json", refusedGarbage.Content.Headers.ContentType?.MediaType);

        // A node of the right party with another key: a pinned key is not replaced.
        await using var impostor = new GatewayNode("US", "CN", nodes.Us.VirtualHost);
        await impostor.InitializeAsync();
        var conflict = await Put(nodes.Cn, await impostor.Admin.GetStringAsync("/api/v1/gateway/descriptor"));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
    }

    [Theory]
    [InlineData("ncp-officer")]
    [InlineData("auditor")]
    [InlineData("reporter")]
    public async Task Only_admins_may_export_or_import(string role)
    {
        var client = nodes.Us.ClientWithToken(TestTokens.Issue("US", Guid.NewGuid(), role));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/gateway/descriptor")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsync("/api/v1/gateway/peer", new StringContent("{}", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/gateway/refused")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await nodes.Us.ClientWithToken(null).GetAsync("/api/v1/gateway/record")).StatusCode);
    }

    private static Task<HttpResponseMessage> Put(GatewayNode node, string descriptor) =>
        node.Admin.PutAsync("/api/v1/gateway/peer", new StringContent(descriptor, Encoding.UTF8, "application/json"));
}
