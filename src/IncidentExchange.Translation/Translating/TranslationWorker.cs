using IncidentExchange.Contracts.Translation;
using IncidentExchange.ServiceDefaults.Messaging;
using IncidentExchange.Translation.Data;
using IncidentExchange.Translation.Engines;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Translation.Translating;

/// <summary>Wakes the <see cref="TranslationWorker"/> when a consumer has queued free text for the engine.</summary>
public sealed class TranslationQueueSignal : WakeSignal;

/// <summary>
/// Works off the pending translations: one engine request per report version and target language, the result stored
/// and announced (through the outbox) in one transaction. A failure leaves the texts pending with the error, to be
/// tried again after a backoff (5 s doubling to 5 min); the <see cref="EngineBreaker"/> stops calling a dead engine.
/// Rows are claimed with <c>FOR UPDATE SKIP LOCKED</c>, so replicas share the queue.
/// </summary>
public sealed class TranslationWorker(
    IServiceScopeFactory scopes, TranslationQueueSignal signal, EngineBreaker breaker, TimeProvider clock, ILogger<TranslationWorker> logger)
    : SweepingWorker(signal, logger)
{
    private const int BatchSize = 20;

    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(300, 5 * Math.Pow(2, Math.Min(attempts, 10) - 1)));

    protected override TimeSpan Sweep => TimeSpan.FromSeconds(5);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        while (!breaker.IsOpen && await WorkOffBatchAsync(cancellationToken) > 0)
        {
        }
    }

    /// <summary>Translates one batch of due texts; returns how many it took (0: nothing due).</summary>
    private async Task<int> WorkOffBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TranslationDb>();
        var translator = scope.ServiceProvider.GetRequiredService<MachineTranslator>();
        // A transient database failure runs the batch again from the start (the engine's work is repeatable).
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            return await WorkOffAsync(db, translator, cancellationToken);
        });
    }

    private async Task<int> WorkOffAsync(TranslationDb db, MachineTranslator translator, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.Translations
            .FromSql($"SELECT * FROM translations WHERE status = 'pending' AND next_attempt_at <= {now} ORDER BY next_attempt_at, id LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);

        foreach (var group in due.GroupBy(t => (t.ReportId, t.Version, t.SourceLanguage, t.TargetLanguage)))
        {
            if (breaker.IsOpen)
                break;
            var rows = group.ToList();
            try
            {
                var results = await translator.TranslateAsync(
                    rows.Select(r => new MachineTranslator.Item(r.SourceText, r.ProtectedNames)).ToList(),
                    group.Key.SourceLanguage, group.Key.TargetLanguage, cancellationToken);
                var at = clock.GetUtcNow();
                foreach (var (row, result) in rows.Zip(results))
                {
                    row.Text = result.Text;
                    row.GlossaryNotes = result.GlossaryNotes.ToArray();
                    row.Status = ReportTranslator.Machine;
                    row.Engine = translator.EngineName;
                    row.Model = translator.Model;
                    row.TranslatedAt = at;
                    row.NextAttemptAt = null;
                    row.Attempts++;
                }
                db.Publish(new ReportTranslated(group.Key.ReportId, group.Key.Version, rows.Select(r => new FieldTranslation(
                    r.Field, r.SourceLanguage, r.TargetLanguage, r.Text, r.Status, r.Engine, r.SourceHash, r.Model, r.GlossaryNotes, r.TranslatedAt)).ToList()));
                breaker.Succeeded();
            }
            catch (TranslationEngineException e)
            {
                breaker.Failed();
                logger.LogWarning("Translation of report {Report} into {Target} failed: {Error}", group.Key.ReportId, group.Key.TargetLanguage, e.Message);
                foreach (var row in rows)
                {
                    row.Attempts++;
                    row.LastError = e.Message.Length <= 500 ? e.Message : e.Message[..500];
                    row.NextAttemptAt = clock.GetUtcNow() + Backoff(row.Attempts);
                }
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }
}
