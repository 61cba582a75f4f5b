using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IncidentExchange.Testing;
using RabbitMQ.Client;

namespace IncidentExchange.EndToEnd.Tests.Operations;

/// <summary>What the real broker and the platform's retry policy do with a message that can never be processed.</summary>
public sealed class PoisonMessageTests(Platform platform) : IClassFixture<Platform>
{
    private const string Exchange = "IncidentExchange.Contracts.Translation:ReportTranslated";
    private const string ErrorQueue = "reports-report-translated_error";

    private static ConnectionFactory Broker() => new()
    {
        HostName = Environment.GetEnvironmentVariable("IX_RABBIT_HOST") ?? "127.0.0.1",
        VirtualHost = Environment.GetEnvironmentVariable("IX_RABBIT_VHOST") ?? "incidentexchange",
        UserName = Environment.GetEnvironmentVariable("IX_RABBIT_USER") ?? "incidentexchange",
        Password = Environment.GetEnvironmentVariable("IX_RABBIT_PASSWORD") ?? "incidentexchange",
    };

    [Fact]
    public async Task Poison_message_ends_in_the_error_queue_after_its_retries_and_the_queue_keeps_flowing()
    {
        await using var connection = await Broker().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();

        // A translation of a report that does not exist: the Reports consumer refuses it on every attempt.
        var poisonId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var envelope = JsonSerializer.SerializeToUtf8Bytes(new
        {
            messageId,
            messageType = new[] { $"urn:message:{Exchange}" },
            message = new { reportId = poisonId, version = 1, fields = Array.Empty<object>() },
            sentTime = DateTimeOffset.UtcNow,
        });
        await channel.BasicPublishAsync(Exchange, "", mandatory: false,
            new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true }, envelope);

        // Meanwhile a real report's translation travels the same queue.
        var lab = platform.ClientWithToken(await platform.TokenAsync("us-lab-demo"));
        var response = await lab.PostAsJsonAsync("/api/v1/reports", Platform.SampleReport($"Flowing past a poison message {Guid.NewGuid():N}"));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await Eventually.WaitUntilAsync(() =>
        {
            var report = lab.GetFromJsonAsync<JsonElement>($"/api/v1/reports/{id}").GetAwaiter().GetResult();
            return report.GetProperty("translations").GetArrayLength() > 0;
        }, "the real report's translation arrived while the poison message was retried", TimeSpan.FromSeconds(20));

        // Retries take 100 ms + 500 ms + 2 s + 5 s; then the message is moved, once, to the error queue,
        // where the operator's tool shows it with the reason it failed.
        var shown = "";
        await Eventually.WaitUntilAsync(() => (shown = ErrorQueues("show", ErrorQueue)).Contains(messageId.ToString()),
            $"the poison message reached {ErrorQueue}", TimeSpan.FromSeconds(30));
        Assert.Contains($"Translation for unknown report {poisonId}", shown);
        Assert.Equal(HttpStatusCode.NotFound, (await platform.ClientWithToken(await platform.TokenAsync("us-ncp-demo")).GetAsync($"/api/v1/reports/{poisonId}")).StatusCode);

        // Replayed, it goes back through its queue and its retries; still poison, it returns to the error queue.
        Assert.Contains("replayed 1", ErrorQueues("replay", ErrorQueue, "--message-id", messageId.ToString()));
        // A quorum queue applies the acknowledgement through its log, a moment after the tool's channel closed.
        await Eventually.WaitUntilAsync(() => !ErrorQueues("show", ErrorQueue).Contains(messageId.ToString()),
            "the replayed message left the error queue", TimeSpan.FromSeconds(3));
        await Eventually.WaitUntilAsync(() => ErrorQueues("show", ErrorQueue).Contains(messageId.ToString()),
            "the replayed poison message failed its retries again", TimeSpan.FromSeconds(30));

        Assert.True(await TakeFromErrorQueue(connection, poisonId));
    }

    private static string ErrorQueues(params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(Repository.PathOf("ops/error-queues.sh"), arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ops/error-queues.sh {string.Join(' ', arguments)}: {output}");
        return output;
    }

    /// <summary>Takes our poison message off the error queue (leaving any other message there) and says whether it was found.</summary>
    private static async Task<bool> TakeFromErrorQueue(IConnection connection, Guid reportId)
    {
        // A channel of its own each time: asking for a queue that does not exist yet closes the channel.
        await using var channel = await connection.CreateChannelAsync();
        var others = new List<ulong>();
        try
        {
            while (await channel.BasicGetAsync(ErrorQueue, autoAck: false) is { } message)
            {
                var body = Encoding.UTF8.GetString(message.Body.Span);
                if (body.Contains(reportId.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    await channel.BasicAckAsync(message.DeliveryTag, multiple: false);
                    return true;
                }
                others.Add(message.DeliveryTag);
            }
            return false;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return false; // the error queue does not exist until the first message is moved there
        }
        finally
        {
            if (channel.IsOpen)
                foreach (var tag in others)
                    await channel.BasicNackAsync(tag, multiple: false, requeue: true);
        }
    }
}
