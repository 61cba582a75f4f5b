using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace IncidentExchange.Alerts.Escalation;

/// <summary>A way to reach people beside the dashboard, for escalations. E-mail through SMTP is the first.</summary>
public interface INotificationChannel
{
    string Name { get; }

    /// <summary>Sends to the addresses configured for a party's role; returns what was done, for the record.</summary>
    /// <exception cref="Exception">The channel failed; the escalation stays unnotified and is tried again.</exception>
    Task<string> SendAsync(string party, string role, string subject, string body, CancellationToken cancellationToken);
}

/// <summary>Where escalation e-mail goes; bound from <c>Notifications</c>. No SMTP host: no e-mail.</summary>
public sealed class NotificationOptions
{
    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 587;

    /// <summary>
    /// <c>StartTls</c> (the default: the relay must offer STARTTLS, or nothing is sent), <c>SslOnConnect</c> (TLS from
    /// the first byte, port 465), or <c>None</c> (no TLS: only for a relay on the same host).
    /// </summary>
    public SecureSocketOptions SmtpSecurity { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>The relay's login; none when empty. Sent only inside TLS unless <see cref="SmtpSecurity"/> is <c>None</c>.</summary>
    public string? SmtpUsername { get; set; }
    public string? SmtpPassword { get; set; }

    public string From { get; set; } = "incidentexchange@localhost";

    /// <summary>Addresses by party and role, e.g. <c>Notifications:Recipients:US:ncp-duty = duty@us.example</c> (comma-separated).</summary>
    public Dictionary<string, Dictionary<string, string>> Recipients { get; set; } = new();
}

/// <summary>
/// E-mail through an SMTP relay (a government's own mail system) with MailKit: TLS as configured (STARTTLS by default),
/// the relay's login when one is set, plain text, one message per escalation step.
/// </summary>
public sealed class SmtpChannel(NotificationOptions options) : INotificationChannel
{
    public string Name => "smtp";

    public async Task<string> SendAsync(string party, string role, string subject, string body, CancellationToken cancellationToken)
    {
        var recipients = (options.Recipients.GetValueOrDefault(party)?.GetValueOrDefault(role) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (recipients.Length == 0)
            return $"smtp: no address configured for {party} {role}";
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = body } };
        message.From.Add(MailboxAddress.Parse(options.From));
        foreach (var recipient in recipients)
            message.To.Add(MailboxAddress.Parse(recipient));
        using var client = new SmtpClient { Timeout = 15_000 };
        await client.ConnectAsync(options.SmtpHost!, options.SmtpPort, options.SmtpSecurity, cancellationToken);
        if (!string.IsNullOrEmpty(options.SmtpUsername))
            await client.AuthenticateAsync(options.SmtpUsername, options.SmtpPassword ?? "", cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        return $"smtp: sent to {string.Join(", ", recipients)}";
    }
}
