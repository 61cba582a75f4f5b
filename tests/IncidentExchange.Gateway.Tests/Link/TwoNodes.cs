using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Gateway.Data;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace IncidentExchange.Gateway.Tests.Link;

/// <summary>
/// Two gateways, US and CN, each on a database and a RabbitMQ vhost of its own on the real broker, linked by real
/// Shovels (ops/link.sh) and paired through their own endpoints. Each node's local bus is MassTransit's test harness:
/// what a gateway applies is what it publishes there.
/// </summary>
public sealed class TwoNodes : IAsyncLifetime
{
    private static readonly string Root = Repository.Root;
    private readonly string _id = Guid.NewGuid().ToString("N")[..10];

    private readonly string _cnKeyFile = Path.Combine(Path.GetTempPath(), "incidentexchange-tests", $"gateway-cn-{Guid.NewGuid():N}.pem");
    private TestDatabase _cnDatabase = null!;

    public GatewayNode Us { get; private set; } = null!;
    public GatewayNode Cn { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Us = new GatewayNode("US", "CN", $"ix-test-{_id}-us");
        _cnDatabase = await TestDatabase.CreateAsync("gateway_cn");
        Cn = new GatewayNode("CN", "US", $"ix-test-{_id}-cn", _cnDatabase, _cnKeyFile);
        foreach (var node in new[] { Us, Cn })
        {
            await RabbitMqCtl("add_vhost", node.VirtualHost);
            await RabbitMqCtl("set_permissions", "-p", node.VirtualHost, GatewayNode.RabbitUser, ".*", ".*", ".*");
            await node.InitializeAsync();
        }
        await Link(Us, Cn);
        await Link(Cn, Us);
        await Us.Admin.PutAsync("/api/v1/gateway/peer", new StringContent(await Cn.Admin.GetStringAsync("/api/v1/gateway/descriptor"), Encoding.UTF8, "application/json"));
        await Cn.Admin.PutAsync("/api/v1/gateway/peer", new StringContent(await Us.Admin.GetStringAsync("/api/v1/gateway/descriptor"), Encoding.UTF8, "application/json"));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { Us, Cn })
        {
            await ((IAsyncLifetime)node).DisposeAsync();
            await RabbitMqCtl("delete_vhost", node.VirtualHost);
        }
        await _cnDatabase.DisposeAsync();
        File.Delete(_cnKeyFile);
    }

    /// <summary>Stops CN's gateway, mid-work or not, and starts another on the same database, key and queues.</summary>
    public async Task RestartCnAsync()
    {
        await ((IAsyncLifetime)Cn).DisposeAsync();
        Cn = new GatewayNode("CN", "US", Cn.VirtualHost, _cnDatabase, _cnKeyFile);
        await Cn.InitializeAsync();
    }

    /// <summary>A release by <paramref name="from"/>'s contact point, as Reports publishes it on that node's bus.</summary>
    public static async Task<ReportReleased> ReleaseAsync(GatewayNode from, string title = "Weights of a frontier model offered for sale")
    {
        var released = new ReportReleased(Guid.NewGuid(), Guid.NewGuid(), 1, from.Party, from.Peer, "AMBER", title, "model-weights-leak",
            3, "Severe", "严重", false, DateTimeOffset.UtcNow, "officer-1");
        await from.Services.GetRequiredService<ITestHarness>().Bus.Publish(released);
        return released;
    }

    /// <summary>Puts a document straight onto <paramref name="node"/>'s inbound queue, as a shovel (or an intruder on the link) would.</summary>
    public static async Task InjectAsync(GatewayNode node, string document)
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", VirtualHost = node.VirtualHost, UserName = GatewayNode.RabbitUser, Password = GatewayNode.RabbitPassword };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await channel.BasicPublishAsync("", $"ix.link.from-{node.Peer}", true, new BasicProperties { Persistent = true }, Encoding.UTF8.GetBytes(document));
    }

    /// <summary>How many documents wait in a queue of <paramref name="node"/>'s vhost.</summary>
    public static async Task<uint> WaitingAsync(GatewayNode node, string queue)
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", VirtualHost = node.VirtualHost, UserName = GatewayNode.RabbitUser, Password = GatewayNode.RabbitPassword };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    /// <summary>Cuts the link from <paramref name="from"/> to the other node (its shovel removed), as an outage would.</summary>
    public Task CutAsync(GatewayNode from) => RabbitMqCtl("clear_parameter", "-p", from.VirtualHost, "shovel", $"link-to-{from.Peer}");

    /// <summary>Links <paramref name="from"/> to the other node again.</summary>
    public Task RestoreAsync(GatewayNode from) => Link(from, from == Us ? Cn : Us);

    private static async Task Link(GatewayNode from, GatewayNode to)
    {
        var start = new ProcessStartInfo(Path.Combine(Root, "ops", "link.sh"), [from.Party, to.Party, $"amqp://{GatewayNode.RabbitUser}:{GatewayNode.RabbitPassword}@127.0.0.1/{to.VirtualHost}"])
        {
            Environment = { ["IX_RABBIT_VHOST"] = from.VirtualHost, ["IX_RABBIT_USER"] = GatewayNode.RabbitUser, ["IX_RABBIT_PASSWORD"] = GatewayNode.RabbitPassword },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        await Run(start);
    }

    private static Task RabbitMqCtl(params string[] arguments) =>
        Run(new ProcessStartInfo("rabbitmqctl", ["-q", .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true });

    private static async Task Run(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} failed: {await error}");
    }
}

/// <summary>One gateway, in process, on its own vhost and a database of its own (or one that outlives it, to restart on).</summary>
public sealed class GatewayNode : ServiceFactory<Program>
{
    public const string RabbitUser = "incidentexchange";
    public const string RabbitPassword = "incidentexchange";
    private readonly string party;
    private readonly string peer;
    private readonly string virtualHost;

    public GatewayNode(string party, string peer, string virtualHost)
    {
        (this.party, this.peer, this.virtualHost) = (party, peer, virtualHost);
        KeyFile = Path.Combine(Path.GetTempPath(), "incidentexchange-tests", $"gateway-{virtualHost}-{Guid.NewGuid():N}.pem");
    }

    /// <summary>A node on <paramref name="database"/> and <paramref name="keyFile"/>, which outlive it.</summary>
    public GatewayNode(string party, string peer, string virtualHost, TestDatabase database, string keyFile) : base(database)
    {
        (this.party, this.peer, this.virtualHost) = (party, peer, virtualHost);
        KeyFile = keyFile;
        _ownsKey = false;
    }

    private readonly bool _ownsKey = true;

    public string Party => party;
    public string Peer => peer;
    public string VirtualHost => virtualHost;
    public string KeyFile { get; }

    public HttpClient Admin => ClientWithToken(TestTokens.Issue(party, Guid.NewGuid(), "admin"));

    public Task<string> RecordAsync() => ClientWithToken(TestTokens.Issue(party, Guid.NewGuid(), "auditor")).GetStringAsync("/api/v1/gateway/record");

    public async Task<List<RefusedView>> RefusedAsync() =>
        (await Admin.GetFromJsonAsync<List<RefusedView>>("/api/v1/gateway/refused"))!;

    public sealed record RefusedView(Guid Id, DateTimeOffset ReceivedAt, string Reason, string Document);

    /// <summary>What this node's gateway published on its bus: the releases it applied from the other node.</summary>
    public IReadOnlyList<ReportReleased> Applied() =>
        Services.GetRequiredService<ITestHarness>().Published.Select<ReportReleased>().Select(m => m.Context.Message).Where(m => m.FromParty == peer).ToList();

    public async Task<long> CountAsync(string direction, string type) =>
        await Database.ScalarAsync<long>($"SELECT count(*) FROM record_entries WHERE direction = '{direction}' AND type = '{type}'");

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Gateway:Party", party),
        new("Gateway:Peer", peer),
        new("Gateway:KeyFile", KeyFile),
        new("Gateway:LinkAddress", $"amqp://127.0.0.1/{virtualHost}"),
        new("Gateway:RetransmitAfterSeconds", "2"),
        new("RabbitMq:Host", "127.0.0.1"),
        new("RabbitMq:VirtualHost", virtualHost),
        new("RabbitMq:Username", RabbitUser),
        new("RabbitMq:Password", RabbitPassword),
    ];

    protected override ValueTask DisposeAlsoAsync()
    {
        if (_ownsKey)
            File.Delete(KeyFile);
        return ValueTask.CompletedTask;
    }
}
