using System.Text.Json;
using IncidentExchange.Alerts.Data;
using IncidentExchange.Alerts.Hub;
using IncidentExchange.Contracts.Translation;
using IncidentExchange.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Alerts.Translations;

/// <summary>
/// Alert titles in the other language. Translation renders each report's title (<see cref="ReportTranslated"/>); Alerts
/// keeps the rendering by the hash of the source text, and every alert whose title is that text carries it. An alert
/// and its title's translation are consumed independently, in either order: both take a transaction-scoped lock on the
/// hash, so that the later of the two always sees the earlier.
/// </summary>
public static class TitleTranslations
{
    /// <summary>The advisory lock class of title hashes in the Alerts database.</summary>
    private const int LockClass = 1718;

    public static Task LockAsync(AlertsDb db, string hash, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock({LockClass}, hashtext({hash}))", cancellationToken);

    /// <summary>The stored renderings of a title, as alerts carry them (JSON).</summary>
    public static async Task<string> OfAsync(AlertsDb db, string hash, CancellationToken cancellationToken)
    {
        var stored = await db.TitleTranslations.AsNoTracking().Where(t => t.SourceHash == hash).OrderBy(t => t.TargetLanguage).ToListAsync(cancellationToken);
        return Serialize(stored.Select(t => t.ToView()).ToList());
    }

    public static string Serialize(IReadOnlyList<TitleTranslation.View> views) => JsonSerializer.Serialize(views, JsonSerializerOptions.Web);

    public static IReadOnlyList<TitleTranslation.View> Deserialize(string json) =>
        JsonSerializer.Deserialize<List<TitleTranslation.View>>(json, JsonSerializerOptions.Web) ?? [];
}

/// <summary>
/// Stores a title's renderings and gives them to the alerts showing that title; the dashboards holding those alerts
/// get them by the hub's <c>translated</c>. A rendering without text (pending) never replaces one with text.
/// </summary>
public sealed class ReportTranslatedConsumer(AlertsDb db, IHubContext<AlertsHub, IAlertsClient> hub, TimeProvider clock, ILogger<ReportTranslatedConsumer> logger)
    : IConsumer<ReportTranslated>
{
    /// <summary>Dashboards hold a party's newest alerts: older ones get the translation in the database only.</summary>
    private static readonly TimeSpan PushedWithin = TimeSpan.FromDays(1);

    public async Task Consume(ConsumeContext<ReportTranslated> context)
    {
        var titles = context.Message.Fields.Where(f => f.Field == "title").ToList();
        if (titles.Count == 0)
            return; // nothing of an alert's: no transaction, no inbox record
        var messageId = context.MessageId ?? throw new InvalidOperationException("ReportTranslated without a message id.");
        var cancellationToken = context.CancellationToken;
        var retitled = new List<(Guid AlertId, string Party, string Json)>();
        // A message stored before fails the commit on its inbox record: then nothing is pushed.
        var first = await db.OnceAsync(messageId, nameof(ReportTranslatedConsumer), () => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            retitled.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var hash in titles.Select(t => t.SourceHash).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                await TitleTranslations.LockAsync(db, hash, cancellationToken);
                foreach (var rendering in titles.Where(t => t.SourceHash == hash))
                    await StoreAsync(rendering, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                var json = await TitleTranslations.OfAsync(db, hash, cancellationToken);
                await db.Alerts.Where(a => a.TitleHash == hash).ExecuteUpdateAsync(a => a.SetProperty(x => x.TitleTranslations, json), cancellationToken);
                var since = clock.GetUtcNow() - PushedWithin;
                retitled.AddRange((await db.Alerts.AsNoTracking().Where(a => a.TitleHash == hash && a.RaisedAt >= since)
                    .Select(a => new { a.Id, a.Party }).ToListAsync(cancellationToken)).Select(a => (a.Id, a.Party, json)));
            }
            db.MarkProcessed(messageId, nameof(ReportTranslatedConsumer));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }), cancellationToken);
        if (!first)
            return;
        foreach (var (alertId, party, json) in retitled)
            await hub.Clients.Group(AlertsHub.PartyGroup(party)).Translated(new TranslatedMessage(alertId, TitleTranslations.Deserialize(json)));
        if (retitled.Count > 0)
            logger.LogInformation("Title of report {ReportId} translated: {Alerts} alerts updated", context.Message.ReportId, retitled.Count);
    }

    private async Task StoreAsync(FieldTranslation rendering, CancellationToken cancellationToken)
    {
        var stored = await db.TitleTranslations.FindAsync([rendering.SourceHash, rendering.TargetLanguage], cancellationToken);
        if (stored is null)
        {
            db.TitleTranslations.Add(new TitleTranslation
            {
                SourceHash = rendering.SourceHash, TargetLanguage = rendering.TargetLanguage, SourceLanguage = rendering.SourceLanguage,
                Text = rendering.Text, Status = rendering.Status, Engine = rendering.Engine, Model = rendering.Model, TranslatedAt = rendering.TranslatedAt,
            });
            return;
        }
        if (stored.Text is not null && rendering.Text is null)
            return;
        stored.SourceLanguage = rendering.SourceLanguage;
        stored.Text = rendering.Text;
        stored.Status = rendering.Status;
        stored.Engine = rendering.Engine;
        stored.Model = rendering.Model;
        stored.TranslatedAt = rendering.TranslatedAt;
    }
}
