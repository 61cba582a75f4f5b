using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentExchange.Gateway.Data;
using IncidentExchange.Gateway.Link;
using IncidentExchange.Gateway.Record;
using IncidentExchange.Gateway.Signing;
using IncidentExchange.Testing;
using Npgsql;

namespace IncidentExchange.Gateway.Tests.Link;

/// <summary>The link between two nodes, over the real broker and Shovel: what crosses, once, receipted, and what is refused.</summary>
public class LinkTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    private GatewayNode Us => nodes.Us;
    private GatewayNode Cn => nodes.Cn;

    [Fact]
    public async Task A_release_crosses_once_and_its_signed_receipt_comes_back()
    {
        var released = await TwoNodes.ReleaseAsync(Us);

        await Eventually.WaitUntilAsync(() => Cn.Applied().Any(m => m.ReleaseId == released.ReleaseId), "CN applies the release");
        await Eventually.WaitUntilAsync(async () => await ReceiptOfAsync(released.ReleaseId) is not null, "US holds CN's receipt");

        var applied = Assert.Single(Cn.Applied(), m => m.ReleaseId == released.ReleaseId);
        Assert.Equal(released, applied);
        using var receipt = JsonDocument.Parse((await ReceiptOfAsync(released.ReleaseId))!);
        Assert.Equal("CN", receipt.RootElement.GetProperty("by").GetString());
        Assert.Equal(Applier.Applied, receipt.RootElement.GetProperty("outcome").GetString());
        var verdict = RecordVerifier.Verify(await Us.RecordAsync(), await Cn.RecordAsync());
        Assert.True(verdict.Agree, string.Join("\n", verdict.Lines));
        Assert.Contains(verdict.Lines, l => l.StartsWith("US>CN: envelopes agree up to seq", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Releases_cross_in_both_directions_each_on_its_own_link()
    {
        var fromCn = await TwoNodes.ReleaseAsync(Cn, "模型权重泄露");
        var fromUs = await TwoNodes.ReleaseAsync(Us);

        await Eventually.WaitUntilAsync(() => Us.Applied().Any(m => m.ReleaseId == fromCn.ReleaseId), "US applies CN's release");
        await Eventually.WaitUntilAsync(() => Cn.Applied().Any(m => m.ReleaseId == fromUs.ReleaseId), "CN applies US's release");
        Assert.DoesNotContain(Us.Applied(), m => m.ReleaseId == fromUs.ReleaseId);
        Assert.DoesNotContain(Cn.Applied(), m => m.ReleaseId == fromCn.ReleaseId);
    }

    [Fact]
    public async Task A_tampered_unsigned_foreign_or_out_of_order_envelope_is_refused_and_nothing_of_it_is_applied()
    {
        var released = await TwoNodes.ReleaseAsync(Us);
        await Eventually.WaitUntilAsync(async () => await ReceiptOfAsync(released.ReleaseId) is not null, "the release is receipted");
        var sent = await EnvelopeOfAsync(released.ReleaseId);
        var applied = Cn.Applied().Count;
        var refused = (await Cn.RefusedAsync()).Count;

        var tampered = JsonNode.Parse(sent)!.AsObject();
        tampered["body"]!["title"] = "Nothing to see";
        var unsigned = JsonNode.Parse(sent)!.AsObject();
        unsigned.Remove("sig");
        var seq = JsonNode.Parse(sent)!["seq"]!.GetValue<long>();
        var usKey = NodeKey.LoadOrCreate(Us.KeyFile);
        var ahead = SignedDocument.Sign(LinkDocuments.NewEnvelope("US>CN", seq + 50, null, Guid.NewGuid(), Applier.ReportReleasedKind, DateTimeOffset.UtcNow,
            JsonNode.Parse(JsonSerializer.Serialize(released with { ReleaseId = Guid.NewGuid() }, Applier.Json))!.AsObject()), usKey);
        var foreignKeyFile = Path.Combine(Path.GetTempPath(), $"foreign-{Guid.NewGuid():N}.pem");
        var foreign = SignedDocument.Sign(JsonNode.Parse(sent)!.AsObject().Also(o => o.Remove("sig")), NodeKey.LoadOrCreate(foreignKeyFile));
        File.Delete(foreignKeyFile);

        await TwoNodes.InjectAsync(Cn, tampered.ToJsonString());
        await TwoNodes.InjectAsync(Cn, unsigned.ToJsonString());
        await TwoNodes.InjectAsync(Cn, ahead);
        await TwoNodes.InjectAsync(Cn, foreign);
        await TwoNodes.InjectAsync(Cn, "not json at all");
        await TwoNodes.InjectAsync(Cn, sent); // a replay of what was applied: answered, not applied again

        await Eventually.WaitUntilAsync(async () => (await Cn.RefusedAsync()).Count >= refused + 5, "CN refuses the five");
        var reasons = (await Cn.RefusedAsync()).Take(5).Select(r => r.Reason).ToList();
        Assert.Contains(reasons, r => r == "its signature does not verify");
        Assert.Contains(reasons, r => r == "it is not signed");
        Assert.Contains(reasons, r => r.StartsWith($"it is out of order: seq {seq + 50}", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("it is signed by key", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("it is not JSON", StringComparison.Ordinal));
        await Task.Delay(500); // the replay, queued last, is handled by now too
        Assert.Equal(applied, Cn.Applied().Count);
        var verdict = RecordVerifier.Verify(await Us.RecordAsync(), await Cn.RecordAsync());
        Assert.True(verdict.Agree, string.Join("\n", verdict.Lines));
    }

    [Fact]
    public async Task A_changed_row_in_either_nodes_record_is_found_by_the_check()
    {
        var released = await TwoNodes.ReleaseAsync(Us, "A title to be changed later");
        await Eventually.WaitUntilAsync(async () => await ReceiptOfAsync(released.ReleaseId) is not null, "the release is receipted");

        foreach (var node in new[] { Cn, Us })
        {
            var position = await node.Database.ScalarAsync<long>(
                $"SELECT position FROM record_entries WHERE type = 'envelope' AND document LIKE '%{released.ReleaseId}%'");
            await ExecuteAsync(node, $"""
                ALTER TABLE record_entries DISABLE TRIGGER record_entries_append_only;
                UPDATE record_entries SET document = replace(document, 'A title to be changed later', 'A harmless title') WHERE position = {position};
                ALTER TABLE record_entries ENABLE TRIGGER record_entries_append_only;
                """);
            var verdict = RecordVerifier.Verify(await Us.RecordAsync(), await Cn.RecordAsync());
            Assert.False(verdict.Agree);
            Assert.Contains(verdict.Lines, l => l == $"{node.Party}'s record is not intact: position {position}: the stored document's hash is not the recorded one (the document was changed)");

            await ExecuteAsync(node, $"""
                ALTER TABLE record_entries DISABLE TRIGGER record_entries_append_only;
                UPDATE record_entries SET document = replace(document, 'A harmless title', 'A title to be changed later') WHERE position = {position};
                ALTER TABLE record_entries ENABLE TRIGGER record_entries_append_only;
                """);
        }
        Assert.True(RecordVerifier.Verify(await Us.RecordAsync(), await Cn.RecordAsync()).Agree);
    }

    [Fact]
    public async Task Releases_made_while_the_link_is_cut_wait_and_then_arrive_in_order_once_each()
    {
        await nodes.CutAsync(Us);
        List<Contracts.Reports.ReportReleased> released = [];
        try
        {
            for (var i = 0; i < 5; i++)
                released.Add(await TwoNodes.ReleaseAsync(Us, $"Released during the outage, {i}"));
            foreach (var release in released)
                await EnvelopeOfAsync(release.ReleaseId);
            await Task.Delay(TimeSpan.FromSeconds(4)); // twice the sender's retransmission time, with nothing to carry it
            Assert.DoesNotContain(Cn.Applied(), m => released.Any(r => r.ReleaseId == m.ReleaseId));
            // They wait on US's broker, once each: nothing is sent again while the queue still holds it.
            Assert.Equal(5u, await TwoNodes.WaitingAsync(Us, "ix.link.to-CN"));
        }
        finally
        {
            await nodes.RestoreAsync(Us);
        }

        await Eventually.WaitUntilAsync(() => released.All(r => Cn.Applied().Any(m => m.ReleaseId == r.ReleaseId)), "CN applies all five", TimeSpan.FromSeconds(30));
        await Eventually.WaitUntilAsync(async () => await ReceiptOfAsync(released[^1].ReleaseId) is not null, "US holds the last receipt");
        Assert.All(released, r => Assert.Single(Cn.Applied(), m => m.ReleaseId == r.ReleaseId));
        // In order: CN recorded (and so applied) them in the order US sealed them, seq by seq.
        var ids = string.Join(",", released.Select(r => $"'{r.ReleaseId}'"));
        var sealedOrder = await Us.Database.ScalarAsync<string>(
            $"SELECT string_agg(document::jsonb #>> '{{body,releaseId}}', ',' ORDER BY seq) FROM record_entries WHERE direction = 'sent' AND type = 'envelope' AND document::jsonb #>> '{{body,releaseId}}' IN ({ids})");
        var receivedOrder = await Cn.Database.ScalarAsync<string>(
            $"SELECT string_agg(document::jsonb #>> '{{body,releaseId}}', ',' ORDER BY position) FROM record_entries WHERE direction = 'received' AND type = 'envelope' AND document::jsonb #>> '{{body,releaseId}}' IN ({ids})");
        Assert.Equal(sealedOrder, receivedOrder);
        var verdict = RecordVerifier.Verify(await Us.RecordAsync(), await Cn.RecordAsync());
        Assert.True(verdict.Agree, string.Join("\n", verdict.Lines));
    }

    [Fact]
    public async Task A_receiving_gateway_stopped_under_traffic_applies_each_envelope_once_after_its_restart()
    {
        List<Contracts.Reports.ReportReleased> released = [];
        for (var i = 0; i < 30; i++)
            released.Add(await TwoNodes.ReleaseAsync(Us, $"Released while CN restarts, {i}"));
        await Eventually.WaitUntilAsync(() => Cn.Applied().Any(m => released.Any(r => r.ReleaseId == m.ReleaseId)), "CN is applying");

        await nodes.RestartCnAsync();

        foreach (var release in released)
            await Eventually.WaitUntilAsync(async () => await Cn.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM outbox_messages WHERE body->>'releaseId' = '{release.ReleaseId}' AND sent_at IS NOT NULL") > 0,
                $"CN applies and publishes {release.Title}", TimeSpan.FromSeconds(30));
        var applications = await Cn.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM outbox_messages WHERE body->>'releaseId' IN ({string.Join(",", released.Select(r => $"'{r.ReleaseId}'"))})");
        Assert.Equal(released.Count, applications);
        await Eventually.WaitUntilAsync(async () => await ReceiptOfAsync(released[^1].ReleaseId) is not null, "US holds the last receipt");
        var verdict = RecordVerifier.Verify(await Us.RecordAsync(), await Cn.RecordAsync());
        Assert.True(verdict.Agree, string.Join("\n", verdict.Lines));
    }

    [Fact]
    public async Task The_record_check_runs_from_the_command_line_on_the_exports()
    {
        var released = await TwoNodes.ReleaseAsync(Us);
        await Eventually.WaitUntilAsync(async () => await ReceiptOfAsync(released.ReleaseId) is not null, "the release is receipted");
        var us = Path.GetTempFileName();
        var cn = Path.GetTempFileName();
        await File.WriteAllTextAsync(us, await Us.RecordAsync());
        await File.WriteAllTextAsync(cn, await Cn.RecordAsync());

        var start = new System.Diagnostics.ProcessStartInfo(Repository.PathOf("ops/verify-record.sh"), [us, cn]) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        File.Delete(us);
        File.Delete(cn);

        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("US's record: ", output);
        Assert.Contains("US>CN: envelopes agree up to seq ", output);
    }

    [Fact]
    public async Task The_record_refuses_updates_and_deletes()
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(Us, "DELETE FROM record_entries"));
        Assert.Contains("append-only", error.MessageText);
    }

    private async Task<string?> ReceiptOfAsync(Guid releaseId)
    {
        var envelope = await EnvelopeOfAsync(releaseId);
        var seq = JsonNode.Parse(envelope)!["seq"]!.GetValue<long>();
        var count = await Us.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM record_entries WHERE direction = 'received' AND type = 'receipt' AND link = 'US>CN' AND seq = {seq}");
        return count == 0 ? null : await Us.Database.ScalarAsync<string>(
            $"SELECT document FROM record_entries WHERE direction = 'received' AND type = 'receipt' AND link = 'US>CN' AND seq = {seq}");
    }

    private async Task<string> EnvelopeOfAsync(Guid releaseId)
    {
        await Eventually.WaitUntilAsync(async () => await Us.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM record_entries WHERE direction = 'sent' AND type = 'envelope' AND document LIKE '%{releaseId}%'") == 1, "US seals the release");
        return await Us.Database.ScalarAsync<string>(
            $"SELECT document FROM record_entries WHERE direction = 'sent' AND type = 'envelope' AND document LIKE '%{releaseId}%'");
    }

    private static async Task ExecuteAsync(GatewayNode node, string sql)
    {
        await using var connection = new NpgsqlConnection(node.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject value, Action<JsonObject> change)
    {
        change(value);
        return value;
    }
}
