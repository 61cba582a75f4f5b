using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IncidentExchange.Alerts.Tests.Escalation;

/// <summary>
/// A local SMTP server that accepts every message and keeps it: the receiving end of the e-mail channel in tests (a real
/// SMTP conversation over TCP, RFC 5321's minimum: HELO/EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), not a mock object.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    public sealed record Mail(IReadOnlyList<string> Recipients, string Data)
    {
        public string Subject => Data.Split("\r\n").FirstOrDefault(l => l.StartsWith("Subject: ", StringComparison.Ordinal))?["Subject: ".Length..] ?? "";
    }

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public ConcurrentQueue<Mail> Received { get; } = new();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public SmtpSink()
    {
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        var recipients = new List<string>();
        await writer.WriteLineAsync("220 sink.test ESMTP");
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO" or "HELO":
                    await writer.WriteLineAsync("250 sink.test");
                    break;
                case "MAIL" or "RSET":
                    recipients.Clear();
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "RCPT":
                    recipients.Add(line[(line.IndexOf('<') + 1)..line.IndexOf('>')]);
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                        data.Append(dataLine).Append("\r\n");
                    Received.Enqueue(new Mail(recipients.ToList(), data.ToString()));
                    await writer.WriteLineAsync("250 OK: queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("250 OK");
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
    }
}
