using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IncidentExchange.Alerts.Tests.Escalation;

/// <summary>
/// A local SMTP server that accepts every message and keeps it: the receiving end of the e-mail channel in tests (a real
/// SMTP conversation over TCP, RFC 5321's minimum: HELO/EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, and AUTH PLAIN
/// (RFC 4954), whose credentials it keeps), not a mock object. It offers no STARTTLS.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    public sealed record Mail(IReadOnlyList<string> Recipients, string Data)
    {
        /// <summary>The Subject header, unfolded (RFC 5322 §2.2.3).</summary>
        public string Subject => System.Text.RegularExpressions.Regex.Match(Data.Replace("\r\n ", " ").Replace("\r\n\t", " "), "^Subject: (.*)$",
            System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value.TrimEnd('\r');
    }

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public ConcurrentQueue<Mail> Received { get; } = new();

    /// <summary>The user names and passwords clients logged in with (AUTH PLAIN), in order.</summary>
    public ConcurrentQueue<(string User, string Password)> Logins { get; } = new();

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
                case "EHLO":
                    await writer.WriteLineAsync("250-sink.test");
                    await writer.WriteLineAsync("250 AUTH PLAIN");
                    break;
                case "HELO":
                    await writer.WriteLineAsync("250 sink.test");
                    break;
                case "AUTH":
                    var parts = line.Split(' ');
                    var response = parts.Length > 2 ? parts[2] : await AskAsync(writer, reader);
                    var fields = Encoding.UTF8.GetString(Convert.FromBase64String(response ?? "")).Split('\0');
                    Logins.Enqueue((fields[1], fields[2]));
                    await writer.WriteLineAsync("235 2.7.0 Authentication successful");
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

    private static async Task<string?> AskAsync(StreamWriter writer, StreamReader reader)
    {
        await writer.WriteLineAsync("334 ");
        return await reader.ReadLineAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
    }
}
