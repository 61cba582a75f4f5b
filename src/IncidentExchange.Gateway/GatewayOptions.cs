namespace IncidentExchange.Gateway;

/// <summary>Which party this node is, which party it is linked to, and where its signing key lives (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    /// <summary>This node's party (<c>US</c>, <c>CN</c>).</summary>
    public string Party { get; set; } = "";

    /// <summary>The party at the other end of the link.</summary>
    public string Peer { get; set; } = "";

    /// <summary>The node's private signing key (PKCS#8 PEM), created at first start, readable only by the gateway's user.</summary>
    public string KeyFile { get; set; } = "";

    /// <summary>Where the other node's shovel delivers to this one (its broker, without credentials), for the descriptor.</summary>
    public string LinkAddress { get; set; } = "";

    /// <summary>How long an envelope may go without its receipt before the gateway sends it again.</summary>
    public int RetransmitAfterSeconds { get; set; } = 10;

    /// <summary>The link this node sends on, e.g. <c>US&gt;CN</c>.</summary>
    public string Outbound => $"{Party}>{Peer}";

    /// <summary>The link this node receives on, e.g. <c>CN&gt;US</c>.</summary>
    public string Inbound => $"{Peer}>{Party}";

    /// <summary>The queue on this node's broker that the shovel takes from and delivers to the other node.</summary>
    public string OutboundQueue => $"ix.link.to-{Peer}";

    /// <summary>The queue on this node's broker that the other node's shovel delivers to.</summary>
    public string InboundQueue => $"ix.link.from-{Peer}";

    public GatewayOptions Validated()
    {
        if (Party.Length is < 2 or > 8 || Peer.Length is < 2 or > 8 || Party == Peer || !Party.All(char.IsAsciiLetterUpper) || !Peer.All(char.IsAsciiLetterUpper))
            throw new InvalidOperationException("Gateway:Party and Gateway:Peer must name two different parties (upper-case letters, e.g. US and CN).");
        if (KeyFile.Length == 0)
            throw new InvalidOperationException("Gateway:KeyFile must say where the node's signing key is kept (a file outside the database).");
        return this;
    }
}
