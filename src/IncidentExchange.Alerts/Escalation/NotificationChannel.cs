using System.Net.Mail;

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
    public int SmtpPort { get; set; } = 25;
    public string From { get; set; } = "incidentexchange@localhost";

    /// <summary>Addresses by party and role, e.g. <c>Notifications:Recipients:US:ncp-duty = duty@us.example</c> (comma-separated).</summary>
    public Dictionary<string, Dictionary<string, string>> Recipients { get; set; } = new();
}

/// <summary>E-mail through an SMTP relay (a government's own mail system), plain text, one message per escalation step.</summary>
public sealed class SmtpChannel(NotificationOptions options) : INotificationChannel
{
    public string Name => "smtp";

    public async Task<string> SendAsync(string party, string role, string subject, string body, CancellationToken cancellationToken)
    {
        var recipients = (options.Recipients.GetValueOrDefault(party)?.GetValueOrDefault(role) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (recipients.Length == 0)
            return $"smtp: no address configured for {party} {role}";
        using var message = new MailMessage { From = new MailAddress(options.From), Subject = subject, Body = body };
        foreach (var recipient in recipients)
            message.To.Add(recipient);
        using var client = new SmtpClient(options.SmtpHost!, options.SmtpPort) { DeliveryMethod = SmtpDeliveryMethod.Network, Timeout = 15_000 };
        await client.SendMailAsync(message, cancellationToken);
        return $"smtp: sent to {string.Join(", ", recipients)}";
    }
}
