using IncidentExchange.Contracts.Reports;
using IncidentExchange.Triage.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace IncidentExchange.Triage.Grouping;

/// <summary>
/// Links each new report of a party to the incident it most likely describes, or opens a new incident for it. Runs in
/// the consumer's transaction. The candidates are read and scored first, without a lock; then, under a lock per party
/// held until commit, the reports of the party grouped since that read are scored too and the decision is made — so
/// that two reports of one event arriving together cannot both open an incident, while the costly part (trigram
/// similarity over a few hundred reports) runs for several reports at once. A later version of a report refreshes
/// what it is compared by and keeps its link.
/// </summary>
public sealed class Grouper(TriageDb db, TextFeatures text, TimeProvider clock)
{
    /// <summary>
    /// How many reports on each side of this one in time are scored (plus any that share an indicator hash): a bound
    /// on the work per report however many reports one event draws, at the price of not finding an older
    /// incident behind a flood of reports about another.
    /// </summary>
    private const int CandidatesEachSide = 200;

    public async Task<IncidentLink> GroupAsync(ReportSubmitted report, CancellationToken cancellationToken)
    {
        var features = await db.Features.FindAsync([report.ReportId], cancellationToken);
        if (features is not null)
        {
            Describe(features, report);
            return await db.Links.SingleAsync(l => l.ReportId == report.ReportId, cancellationToken);
        }

        features = new ReportFeatures
        {
            ReportId = report.ReportId, Party = report.Party, Exercise = report.Exercise,
            Category = "", Title = "", Text = "", Names = [], Concepts = [], Indicators = [],
        };
        Describe(features, report);

        // Everything grouped up to `seen` is among what the first read can see; what comes after, the second read
        // finds under the lock (rows of a party are inserted under its lock, so they commit in `seq` order).
        var seen = await db.Features.Where(f => f.Party == features.Party && f.Exercise == features.Exercise)
            .MaxAsync(f => (long?)f.Seq, cancellationToken) ?? 0;
        // Scored before the lock, so that the lock is held only for the few reports grouped since the read.
        var scored = Score(features, await FindCandidatesAsync(features, after: null, cancellationToken));
        await LockPartyAsync(db, report.Party, cancellationToken);
        var best = scored.Concat(Score(features, await FindCandidatesAsync(features, after: seen, cancellationToken)))
            .OrderByDescending(c => c.Score)
            .FirstOrDefault();

        var now = clock.GetUtcNow();
        IncidentLink link;
        if (best is not null && best.Score >= LinkScore.Threshold)
        {
            var similarity = LinkScore.Compare(features, best.Candidate.Features, best.Candidate.TextSimilarity);
            var match = best.Candidate.Features.ReportId;
            // The match's incident as it is now: an officer may have moved it (reject, merge, split) since the first read.
            var incidentId = await db.Links.Where(l => l.ReportId == match).Select(l => l.IncidentId).SingleAsync(cancellationToken);
            link = new IncidentLink { ReportId = report.ReportId, IncidentId = incidentId, State = LinkState.Proposed, Score = similarity.Score, Reason = IncidentLink.Bounded(similarity.Reason), LinkedAt = now };
            await db.Incidents.Where(i => i.Id == incidentId).ExecuteUpdateAsync(i => i.SetProperty(x => x.UpdatedAt, now), cancellationToken);
        }
        else
        {
            var incident = Open(features, now);
            var reason = best is null
                ? "no earlier report of this party to compare with"
                : $"no incident matched well enough; best {best.Score:0.###} (report {best.Candidate.Features.ReportId}): {LinkScore.Compare(features, best.Candidate.Features, best.Candidate.TextSimilarity).Reason}";
            link = new IncidentLink { ReportId = report.ReportId, IncidentId = incident.Id, State = LinkState.Opened, Reason = IncidentLink.Bounded(reason), LinkedAt = now };
        }
        db.Features.Add(features);
        db.Links.Add(link);
        return link;
    }

    /// <summary>
    /// Serialises changes to one party's incidents until the transaction ends: grouping a new report, and officers'
    /// decisions, each see the links the one before committed.
    /// </summary>
    public static async Task LockPartyAsync(TriageDb db, string party, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({"triage:group:" + party}))", cancellationToken);

    /// <summary>A new incident for a report, titled and categorised by it.</summary>
    public Incident Open(ReportFeatures report, DateTimeOffset now)
    {
        var incident = new Incident
        {
            Id = NewId.NextGuid(), Party = report.Party, Exercise = report.Exercise,
            Title = report.Title.Length > Incident.TitleMaxLength ? report.Title[..Incident.TitleMaxLength] : report.Title,
            Category = report.Category, CreatedAt = now, UpdatedAt = now,
        };
        db.Incidents.Add(incident);
        return incident;
    }

    private void Describe(ReportFeatures features, ReportSubmitted report)
    {
        var content = $"{report.Title}\n{report.Summary}";
        features.Category = report.Category;
        features.Title = report.Title;
        features.Text = content;
        features.ModelName = report.ModelName;
        features.ModelKey = TextFeatures.KeyOf(report.ModelName);
        features.DeveloperKey = TextFeatures.KeyOf(report.ModelDeveloper);
        features.OccurredAt = report.OccurredAt ?? report.SubmittedAt;
        features.Names = TextFeatures.NamesOf(content);
        features.Concepts = text.ConceptsOf(content);
        features.Indicators = [.. (report.IndicatorHashes ?? []).Select(h => h.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal)];
    }

    private sealed record Candidate(ReportFeatures Features, double TextSimilarity);

    private sealed record Scored(Candidate Candidate, double Score);

    private static List<Scored> Score(ReportFeatures report, List<Candidate> candidates) =>
        [.. candidates.Select(c => new Scored(c, LinkScore.Score(report, c.Features, c.TextSimilarity)))];

    /// <summary>
    /// The reports of the same party and exercise flag nearest this one in time, within the window, and those sharing an
    /// indicator; with <paramref name="after"/>, only those grouped after that <c>seq</c> (a handful: the ones grouped
    /// while this one was being scored), all of them.
    /// </summary>
    private async Task<List<Candidate>> FindCandidatesAsync(ReportFeatures report, long? after, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand(after is null
            ? """
              WITH near AS (
                  (SELECT report_id FROM report_features
                   WHERE party = @party AND exercise = @exercise AND occurred_at BETWEEN @from AND @at
                   ORDER BY occurred_at DESC LIMIT @side)
                  UNION
                  (SELECT report_id FROM report_features
                   WHERE party = @party AND exercise = @exercise AND occurred_at > @at AND occurred_at <= @to
                   ORDER BY occurred_at LIMIT @side)
                  UNION
                  (SELECT report_id FROM report_features
                   WHERE party = @party AND exercise = @exercise AND indicators && @indicators LIMIT @side)
              )
              SELECT f.report_id, f.category, f.title, f.model_name, f.model_key, f.developer_key, f.occurred_at,
                     f.names, f.concepts, f.indicators, similarity(f.text, @text)::float8 AS text_similarity
              FROM near JOIN report_features f ON f.report_id = near.report_id
              """
            : """
              WITH later AS MATERIALIZED (
                  -- by the (party, exercise, seq) index: a generic plan must not scan the party's 30 days for them
                  SELECT * FROM report_features
                  WHERE party = @party AND exercise = @exercise AND seq > @after
                  ORDER BY seq LIMIT 10000
              )
              SELECT f.report_id, f.category, f.title, f.model_name, f.model_key, f.developer_key, f.occurred_at,
                     f.names, f.concepts, f.indicators, similarity(f.text, @text)::float8 AS text_similarity
              FROM later f
              WHERE f.occurred_at BETWEEN @from AND @to OR f.indicators && @indicators
              """, connection, (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
        command.Parameters.AddWithValue("text", report.Text);
        command.Parameters.AddWithValue("party", report.Party);
        command.Parameters.AddWithValue("exercise", report.Exercise);
        command.Parameters.AddWithValue("at", report.OccurredAt);
        command.Parameters.AddWithValue("from", report.OccurredAt - LinkScore.Window);
        command.Parameters.AddWithValue("to", report.OccurredAt + LinkScore.Window);
        command.Parameters.AddWithValue("indicators", report.Indicators);
        command.Parameters.AddWithValue("side", CandidatesEachSide);
        command.Parameters.AddWithValue("after", after ?? 0);

        var candidates = new List<Candidate>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            candidates.Add(new Candidate(new ReportFeatures
            {
                ReportId = reader.GetGuid(0), Party = report.Party, Exercise = report.Exercise,
                Category = reader.GetString(1), Title = reader.GetString(2), Text = "",
                ModelName = reader.IsDBNull(3) ? null : reader.GetString(3),
                ModelKey = reader.IsDBNull(4) ? null : reader.GetString(4),
                DeveloperKey = reader.IsDBNull(5) ? null : reader.GetString(5),
                OccurredAt = reader.GetFieldValue<DateTimeOffset>(6),
                Names = reader.GetFieldValue<string[]>(7),
                Concepts = reader.GetFieldValue<string[]>(8),
                Indicators = reader.GetFieldValue<string[]>(9),
            }, reader.GetDouble(10)));
        return candidates;
    }
}
