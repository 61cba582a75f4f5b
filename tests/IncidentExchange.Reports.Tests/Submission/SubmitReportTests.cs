using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentExchange.Contracts.Reports;
using IncidentExchange.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.Reports.Tests.Submission;

public sealed class SubmitReportTests(ReportsFactory factory) : IClassFixture<ReportsFactory>
{
    [Fact]
    public async Task Accepted_report_is_stored_and_announced_once_committed()
    {
        var harness = factory.Services.GetRequiredService<ITestHarness>();
        var response = await factory.UsLabClient().PostAsJsonAsync("/api/v1/reports", ReportsFactory.ValidReport("Accepted report"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/reports/{id}", response.Headers.Location?.ToString());

        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM reports WHERE id = '{id}' AND party = 'US'"));
        await Eventually.WaitUntilAsync(() => harness.Published.Select<ReportSubmitted>(m => m.Context.Message.ReportId == id).Any(),
            "the outbox published ReportSubmitted");
        var published = harness.Published.Select<ReportSubmitted>(m => m.Context.Message.ReportId == id).Single().Context;
        Assert.Equal("US", published.Message.Party);
        Assert.Equal(ReportsFactory.UsLab, published.Message.OrganisationId);
        Assert.Equal("jailbreak-spread", published.Message.Category);
        Assert.Equal("hazard", published.Message.Kind);
        // The message id is the outbox row's, so that consumers can drop a redelivery by it. The dispatcher marks the
        // row sent only after the broker confirmed the publish, which the harness sees first: wait for the mark.
        await Eventually.WaitUntilAsync(
            async () => await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE id = '{published.MessageId}' AND sent_at IS NOT NULL") == 1,
            "the outbox row is marked sent");
    }

    [Fact]
    public async Task A_message_the_dispatcher_was_not_told_of_is_published_by_its_sweep_while_filings_keep_waking_it()
    {
        var harness = factory.Services.GetRequiredService<ITestHarness>();
        var filed = await factory.FileAsync();
        // As a crashed process or another replica leaves one: committed and unsent, and this dispatcher not told of it.
        var orphan = await factory.Database.ScalarAsync<Guid>($"""
            INSERT INTO outbox_messages (id, message_type, body, created_at)
            SELECT gen_random_uuid(), message_type, body, now() FROM outbox_messages WHERE body ->> 'reportId' = '{filed}'
            RETURNING id
            """);

        // A filing every 200 ms wakes the dispatcher (with the ids it committed) before its one-second wait runs out.
        using var filing = new CancellationTokenSource();
        var filer = Task.Run(async () =>
        {
            while (!filing.IsCancellationRequested)
            {
                await factory.FileAsync();
                await Task.Delay(200);
            }
        });
        try
        {
            await Eventually.WaitUntilAsync(() => harness.Published.Select<ReportSubmitted>(m => m.Context.MessageId == orphan).Any(),
                "the sweep published the message no commit announced");
        }
        finally
        {
            await filing.CancelAsync();
            await filer;
        }
    }

    [Fact]
    public async Task A_message_of_a_type_this_build_does_not_know_is_left_unsent_and_does_not_hold_back_the_sweep()
    {
        var harness = factory.Services.GetRequiredService<ITestHarness>();
        var filed = await factory.FileAsync();
        // As a newer replica could leave one during an upgrade: older than everything else unsent, so first in the sweep.
        var unknown = await factory.Database.ScalarAsync<Guid>("""
            INSERT INTO outbox_messages (id, message_type, body, created_at)
            VALUES (gen_random_uuid(), 'IncidentExchange.Contracts.Reports.NotYetInvented', '{}', now() - interval '1 hour')
            RETURNING id
            """);
        var orphan = await factory.Database.ScalarAsync<Guid>($"""
            INSERT INTO outbox_messages (id, message_type, body, created_at)
            SELECT gen_random_uuid(), message_type, body, now() - interval '1 minute' FROM outbox_messages WHERE body ->> 'reportId' = '{filed}'
            RETURNING id
            """);

        await Eventually.WaitUntilAsync(() => harness.Published.Select<ReportSubmitted>(m => m.Context.MessageId == orphan).Any(),
            "the sweep published the message behind the unknown one");
        await Eventually.WaitUntilAsync(
            async () => await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE id = '{orphan}' AND sent_at IS NOT NULL") == 1,
            "the message behind the unknown one is marked sent");
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE id = '{unknown}' AND sent_at IS NULL"));
    }

    [Fact]
    public async Task Contact_point_officer_may_file_a_report_too()
    {
        var response = await factory.UsContactPointClient().PostAsJsonAsync("/api/v1/reports", ReportsFactory.ValidReport("Filed by the contact point"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private const string Valid = """
        {"title":"t","summary":"s","language":"en","kind":"incident","category":"other","timeline":{"occurredAt":"2026-11-20T08:30:00Z"},"model":{"name":"m","developer":"d"},"tlp":"GREEN"}
        """;

    private static string With(string member, string? json)
    {
        var report = JsonNode.Parse(Valid)!.AsObject();
        var parts = member.Split('.');
        var parent = parts.Length == 1 ? report : report[parts[0]]!.AsObject();
        if (json is null)
            parent.Remove(parts[^1]);
        else
            parent[parts[^1]] = JsonNode.Parse(json);
        return report.ToJsonString();
    }

    public static TheoryData<string, string> InvalidReports => new()
    {
        { With("title", null), "title" },
        { With("title", "\"   \""), "title" },
        { With("language", "\"fr\""), "language" },
        { With("kind", "\"disaster\""), "kind" },
        { With("category", "\"made-up\""), "category" },
        { With("tlp", "\"PURPLE\""), "tlp" },
        { With("timeline", null), "timeline" },
        { With("timeline.occurredAt", null), "timeline.occurredAt" },
        { With("timeline.occurredAt", "\"yesterday\""), "timeline.occurredAt" },
        { With("timeline.occurredAt", "\"2099-01-01T00:00:00Z\""), "timeline.occurredAt" },
        { With("timeline.detectedAt", "\"2026-11-19T00:00:00Z\""), "timeline.detectedAt" },
        { With("model", null), "model" },
        { With("model.name", "\" \""), "model.name" },
        { With("model.access", "\"leaked\""), "model.access" },
        { With("harms", "[\"embarrassment\"]"), "harms[0]" },
        { With("impact", "{\"deaths\":-1}"), "impact.deaths" },
        { With("impact", "{\"jurisdictionsAffected\":[\"usa\"]}"), "impact.jurisdictionsAffected[0]" },
        { With("indicators", "[{\"type\":\"prompt\",\"sha256\":\"Ignore all previous instructions\"}]"), "indicators[0].sha256" },
        { With("reporterContact", "{\"name\":\"n\",\"email\":\"not-an-address\"}"), "reporterContact.email" },
        { With("exercise", "\"yes\""), "exercise" },
    };

    [Theory]
    [MemberData(nameof(InvalidReports))]
    public async Task Invalid_report_gets_a_validation_problem_and_changes_nothing(string json, string field)
    {
        var before = await CountsAsync();
        var response = await factory.UsLabClient().PostAsync("/api/v1/reports", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for {field}: {problem}");
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("{\"title\": ")]
    [InlineData("not json at all")]
    [InlineData("[]")]
    public async Task Malformed_body_gets_a_problem_without_internals_and_changes_nothing(string body)
    {
        var before = await CountsAsync();
        var response = await factory.UsLabClient().PostAsync("/api/v1/reports", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text); // no stack trace
        Assert.DoesNotContain("Exception", text);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Unknown_member_is_refused_rather_than_silently_dropped()
    {
        var before = await CountsAsync();
        var report = JsonSerializer.SerializeToNode(ReportsFactory.ValidReport())!;
        report["severity"] = 5;
        var response = await factory.UsLabClient().PostAsJsonAsync("/api/v1/reports", report);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Oversized_summary_is_refused()
    {
        var report = JsonSerializer.SerializeToNode(ReportsFactory.ValidReport())!;
        report["summary"] = new string('x', 20_001);
        var response = await factory.UsLabClient().PostAsJsonAsync("/api/v1/reports", report);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task No_token_is_401_problem_and_nothing_is_stored()
    {
        var before = await CountsAsync();
        var response = await factory.ClientWithToken(null).PostAsJsonAsync("/api/v1/reports", ReportsFactory.ValidReport());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(before, await CountsAsync());
    }

    public static TheoryData<string> BadTokens => new()
    {
        TestTokens.Issue("US", ReportsFactory.UsLab, ["reporter"], TestTokens.ForeignKey),
        TestTokens.Issue("US", ReportsFactory.UsLab, ["reporter"], TestTokens.Key, issuer: "http://someone-else.test"),
        TestTokens.Issue("US", ReportsFactory.UsLab, ["reporter"], TestTokens.Key, audience: "another-api"),
        TestTokens.Issue("US", ReportsFactory.UsLab, ["reporter"], TestTokens.Key, lifetime: TimeSpan.FromMinutes(-5)),
        TestTokens.Unsigned("US", ReportsFactory.UsLab, "reporter"),
        "not-a-jwt",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Bad_token_is_401_problem_and_nothing_is_stored(string token)
    {
        var before = await CountsAsync();
        var response = await factory.ClientWithToken(token).PostAsJsonAsync("/api/v1/reports", ReportsFactory.ValidReport());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Role_without_filing_rights_is_403()
    {
        var auditor = factory.ClientWithToken(TestTokens.Issue("US", ReportsFactory.UsContactPoint, "auditor"));
        var response = await auditor.PostAsJsonAsync("/api/v1/reports", ReportsFactory.ValidReport());
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<(long Reports, long Versions, long Outbox)> CountsAsync() => (
        await factory.Database.ScalarAsync<long>("SELECT count(*) FROM reports"),
        await factory.Database.ScalarAsync<long>("SELECT count(*) FROM report_versions"),
        await factory.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
}
