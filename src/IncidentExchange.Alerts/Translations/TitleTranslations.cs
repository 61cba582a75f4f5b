using System.Text.Json;
using IncidentExchange.Alerts.Data;
using IncidentExchange.Alerts.Hub;
using IncidentExchange.Contracts.Translation;
using IncidentExchange.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

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

    /// <summary>Takes the title's lock (held until the transaction ends), as a command of a batch.</summary>
    public static NpgsqlBatchCommand LockCommand(string hash) =>
        new("SELECT pg_advisory_xact_lock(@class, hashtext(@hash))") { Parameters = { new("class", LockClass), new("hash", hash) } };

    /// <summary>A command of a batch reading the stored renderings of a title; its result is read by <see cref="ReadAsync"/>.</summary>
    public static NpgsqlBatchCommand ReadCommand(string hash) =>
        new("""
            SELECT source_hash, target_language, source_language, text, status, engine, model, translated_at
            FROM title_translations WHERE source_hash = @hash
            """) { Parameters = { new("hash", hash) } };

    /// <summary>The stored renderings of a title (<see cref="ReadCommand"/>'s result), not tracked.</summary>
    public static async Task<List<TitleTranslation>> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var stored = new List<TitleTranslation>();
        while (await reader.ReadAsync(cancellationToken))
            stored.Add(new TitleTranslation
            {
                SourceHash = reader.GetString(0), TargetLanguage = reader.GetString(1), SourceLanguage = reader.GetString(2),
                Text = reader.IsDBNull(3) ? null : reader.GetString(3), Status = reader.GetString(4), Engine = reader.GetString(5),
                Model = reader.IsDBNull(6) ? null : reader.GetString(6),
                TranslatedAt = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
            });
        return stored;
    }

    /// <summary>In one round trip, in the current transaction: takes the title's lock, then reads its stored renderings (not tracked).</summary>
    public static async Task<List<TitleTranslation>> LockAndReadAsync(AlertsDb db, string hash, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction())
        {
            BatchCommands = { LockCommand(hash), ReadCommand(hash) },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return await ReadAsync(reader, cancellationToken);
    }

    /// <summary>As alerts carry them: by target language.</summary>
    public static string Serialize(IEnumerable<TitleTranslation> stored) =>
        JsonSerializer.Serialize(stored.OrderBy(t => t.TargetLanguage, StringComparer.Ordinal).Select(t => t.ToView()).ToList(), JsonSerializerOptions.Web);

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
                // The renderings of the title as stored, with this message's applied: what every alert of the title shows.
                var stored = await TitleTranslations.LockAndReadAsync(db, hash, cancellationToken);
                db.TitleTranslations.AttachRange(stored);
                foreach (var rendering in titles.Where(t => t.SourceHash == hash))
                    Store(stored, rendering);
                var json = TitleTranslations.Serialize(stored);
                var since = clock.GetUtcNow() - PushedWithin;
                retitled.AddRange((await RetitleAsync(hash, json, cancellationToken)).Where(a => a.RaisedAt >= since).Select(a => (a.Id, a.Party, json)));
            }
            // The renderings are written with the inbox record, in the one batch of the save.
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

    /// <summary>Every alert showing the title gets its renderings; their ids, parties and times.</summary>
    private async Task<List<(Guid Id, string Party, DateTimeOffset RaisedAt)>> RetitleAsync(string hash, string json, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("UPDATE alerts SET title_translations = @json WHERE title_hash = @hash RETURNING id, party, raised_at",
            (NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
        command.Parameters.Add(new NpgsqlParameter("json", NpgsqlDbType.Jsonb) { Value = json });
        command.Parameters.AddWithValue("hash", hash);
        var alerts = new List<(Guid, string, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            alerts.Add((reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        return alerts;
    }

    private void Store(List<TitleTranslation> stored, FieldTranslation rendering)
    {
        var translation = stored.Find(t => t.TargetLanguage == rendering.TargetLanguage);
        if (translation is null)
        {
            translation = new TitleTranslation
            {
                SourceHash = rendering.SourceHash, TargetLanguage = rendering.TargetLanguage, SourceLanguage = rendering.SourceLanguage,
                Text = rendering.Text, Status = rendering.Status, Engine = rendering.Engine, Model = rendering.Model, TranslatedAt = rendering.TranslatedAt,
            };
            db.TitleTranslations.Add(translation);
            stored.Add(translation);
            return;
        }
        if (translation.Text is not null && rendering.Text is null)
            return;
        translation.SourceLanguage = rendering.SourceLanguage;
        translation.Text = rendering.Text;
        translation.Status = rendering.Status;
        translation.Engine = rendering.Engine;
        translation.Model = rendering.Model;
        translation.TranslatedAt = rendering.TranslatedAt;
    }
}
