using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IncidentExchange.Reports.Tests.Submission;

public sealed class IdempotencyTests(ReportsFactory factory) : IClassFixture<ReportsFactory>
{
    private static HttpRequestMessage Post(string key, object report) => new(HttpMethod.Post, "/api/v1/reports")
    {
        Content = JsonContent.Create(report),
        Headers = { { "Idempotency-Key", key } },
    };

    private Task<long> CountAsync(string title) =>
        factory.Database.ScalarAsync<long>($"SELECT count(*) FROM reports WHERE title = '{title}'");

    [Fact]
    public async Task Same_key_and_body_answers_the_first_result_and_files_one_report()
    {
        var key = Guid.NewGuid().ToString();
        var report = ReportsFactory.ValidReport("Retried after a timeout");
        var first = await factory.UsLabClient().SendAsync(Post(key, report));
        var again = await factory.UsLabClient().SendAsync(Post(key, report));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(1L, await CountAsync("Retried after a timeout"));
    }

    [Fact]
    public async Task Same_key_with_another_body_is_refused_and_changes_nothing()
    {
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await factory.UsLabClient().SendAsync(Post(key, ReportsFactory.ValidReport("First use of a key")))).StatusCode);
        var reused = await factory.UsLabClient().SendAsync(Post(key, ReportsFactory.ValidReport("Second use of a key")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0L, await CountAsync("Second use of a key"));
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_file_one_report()
    {
        var key = Guid.NewGuid().ToString();
        var report = ReportsFactory.ValidReport("Sent twice at once");
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => factory.UsLabClient().SendAsync(Post(key, report))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(responses.Select(r => r.Headers.Location).Distinct());
        Assert.Equal(1L, await CountAsync("Sent twice at once"));
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM outbox_messages WHERE body->>'title' = 'Sent twice at once'"));
    }

    [Fact]
    public async Task An_amendment_retried_with_its_key_makes_one_version()
    {
        var id = await factory.FileAsync();
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Amend() => new(HttpMethod.Post, $"/api/v1/reports/{id}/versions")
        {
            Content = JsonContent.Create(ReportsFactory.ValidReport("Amended once")),
            Headers = { { "Idempotency-Key", key } },
        };

        var first = await factory.UsLabClient().SendAsync(Amend());
        var again = await factory.UsLabClient().SendAsync(Amend());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal(2L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM report_versions WHERE report_id = '{id}'"));
    }

    [Fact]
    public async Task A_release_retried_with_its_key_releases_once_and_answers_the_same()
    {
        var id = await factory.FileAsync();
        await factory.AssessAsync(id);
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Release(string tlp) => new(HttpMethod.Post, $"/api/v1/reports/{id}/releases")
        {
            Content = JsonContent.Create(new { toParty = "CN", tlp }),
            Headers = { { "Idempotency-Key", key } },
        };

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => factory.UsOfficerClient().SendAsync(Release("AMBER"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(responses.Select(r => r.Headers.Location).Distinct());
        Assert.Single(await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync())).ContinueWith(t => t.Result.Distinct()));
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>($"SELECT count(*) FROM releases WHERE report_id = '{id}'"));
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%ReportReleased' AND body->>'reportId' = '{id}'"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await factory.UsOfficerClient().SendAsync(Release("AMBER+STRICT"))).StatusCode);
    }

    [Fact]
    public async Task Keys_belong_to_their_organisation()
    {
        var key = Guid.NewGuid().ToString();
        var report = ReportsFactory.ValidReport("Two labs, one key");
        var ours = await factory.UsLabClient().SendAsync(Post(key, report));
        var theirs = await factory.UsOtherLabClient().SendAsync(Post(key, report));

        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.NotEqual(ours.Headers.Location, theirs.Headers.Location);
    }

    public static TheoryData<string> MalformedKeys => new() { "has space", new string('k', 201), "ключ" };

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public async Task Malformed_key_is_a_validation_problem(string key)
    {
        var response = await factory.UsLabClient().SendAsync(Post(key, ReportsFactory.ValidReport("Malformed key")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        Assert.Equal(0L, await CountAsync("Malformed key"));
    }
}
