using System.Text.Json;
using IncidentExchange.Gateway.Pairing;
using IncidentExchange.Gateway.Signing;
using IncidentExchange.Testing;

namespace IncidentExchange.Gateway.Tests.Signing;

/// <summary>The examples in protocols/link/ are what protocols/link.md says they are: signatures that verify.</summary>
public class ProtocolExampleTests
{
    private static JsonElement Example(string name) =>
        JsonDocument.Parse(File.ReadAllText(Repository.PathOf($"protocols/link/example-{name}.json"))).RootElement;

    [Fact]
    public void The_example_envelope_is_signed_by_the_US_node_and_receipted_by_the_CN_node()
    {
        var (us, usKey) = Descriptor.Read(Example("descriptor-us"));
        var (cn, cnKey) = Descriptor.Read(Example("descriptor-cn"));
        var envelope = Example("envelope");
        var receipt = Example("receipt");

        Assert.Equal(("US", "CN"), (us, cn));
        Assert.Null(SignedDocument.Problem(envelope, usKey));
        Assert.Null(SignedDocument.Problem(receipt, cnKey));
        Assert.Equal(SignedDocument.Hash(envelope), receipt.GetProperty("hash").GetString());
        Assert.Equal("it is signed by key " + usKey.Thumbprint + ", not by the pinned key " + cnKey.Thumbprint, SignedDocument.Problem(envelope, cnKey));
    }
}
