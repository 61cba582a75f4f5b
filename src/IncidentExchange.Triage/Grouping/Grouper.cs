using IncidentExchange.Contracts.Reports;
using IncidentExchange.Triage.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace IncidentExchange.Triage.Grouping;

/// <summary>
/// Links each new report of a party to the incident it most likely describes, or opens a new incident for it. The
/// candidates are read and scored first, without a lock (<see cref="PrepareAsync"/>); then, under a lock per party held
/// until commit, the reports of the party grouped since that read are scored too and the decision is made
/// (<see cref="DecideAsync"/>) — so that two reports of one event arriving together cannot both open an incident, while
/// the costly part (trigram similarity over a few hundred reports) runs for several reports at once. The reports that
/// wait for the lock together are decided together (<see cref="GroupingBatches"/>). A later version of a report
/// refreshes what it is compared by and keeps its link.
/// </summary>
public sealed class Grouper(TriageDb db, TextFeatures text, TimeProvider clock, GroupingBatches batches)
{
    /// <summary>
    /// How many reports on each side of this one in time are scored (plus any that share an indicator hash): a bound
    /// on the work per report however many reports one event draws, at the price of not finding an older
    /// incident behind a flood of reports about another.
    /// </summary>
    private const int CandidatesEachSide = 200;

    /// <summary>
    /// Links the report and commits the link together with what <paramref name="write"/> adds for it (to the context it
    /// is given, which is not this one for a new report: that is decided and committed with others of its party).
    /// </summary>
    public async Task<IncidentLink> GroupAsync(ReportSubmitted report, Action<TriageDb, IncidentLink> write, CancellationToken cancellationToken)
    {
        var prepared = await PrepareAsync(report, cancellationToken);
        if (prepared is not null)
            return await batches.CommitAsync(prepared, write, cancellationToken);

        // A later version (rare; its candidates were read for nothing, in the same round trip).
        var stored = await db.Features.SingleAsync(f => f.ReportId == report.ReportId, cancellationToken);
        Describe(stored, report);
        var link = await db.Links.AsNoTracking().SingleAsync(l => l.ReportId == report.ReportId, cancellationToken);
        write(db, link);
        await db.SaveChangesAsync(cancellationToken);
        return link;
    }

    /// <summary>A new report, described and scored against the candidates one read found; null for a later version.</summary>
    internal sealed record Prepared(ReportFeatures Features, long Seen, Scored? Earlier);

    /// <summary>
    /// Describes the report and scores the candidates of one read against it. Everything grouped up to <c>Seen</c> is
    /// among what that read could see; what comes after, <see cref="DecideAsync"/> finds under the lock (rows of a party
    /// are inserted under its lock, so they commit in <c>seq</c> order).
    /// </summary>
    private async Task<Prepared?> PrepareAsync(ReportSubmitted report, CancellationToken cancellationToken)
    {
        var features = new ReportFeatures
        {
            ReportId = report.ReportId, Party = report.Party, Exercise = report.Exercise,
            Category = "", Title = "", Text = "", Names = [], Concepts = [], Indicators = [],
        };
        Describe(features, report);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var (grouped, seen, candidates) = await FindCandidatesAsync(features, cancellationToken);
            return grouped ? null : new Prepared(features, seen, Score(features, candidates).MaxBy(c => c.Score));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Links reports of one party and exercise flag, in their order, in this context's transaction: takes the party's
    /// lock, reads in one round trip what each needs to know as it is under the lock, and decides. Each is compared
    /// with the best of its first read, the reports grouped since, and the reports before it in the list. Adds the
    /// links, features and incidents to the context, to be saved by the caller.
    /// </summary>
    internal async Task<List<IncidentLink>> DecideAsync(IReadOnlyList<Prepared> reports, CancellationToken cancellationToken)
    {
        var known = await LockAndReadAsync(reports, cancellationToken);
        var now = clock.GetUtcNow();
        var links = new List<IncidentLink>(reports.Count);
        var touched = new Dictionary<Guid, Incident>();
        for (var i = 0; i < reports.Count; i++)
        {
            var (features, _, earlier) = reports[i];
            List<Candidate> before = [.. Enumerable.Range(0, i)
                .Where(j => Comparable(features, reports[j].Features))
                .Select(j => new Candidate(reports[j].Features, known.Among[(i, j)], links[j].IncidentId))];
            var best = (earlier is null ? [] : (IEnumerable<Scored>)[earlier])
                .Concat(Score(features, known.Later[i])).Concat(Score(features, before)).MaxBy(c => c.Score);

            IncidentLink link;
            if (best is not null && best.Score >= LinkScore.Threshold)
            {
                var similarity = LinkScore.Compare(features, best.Candidate.Features, best.Candidate.TextSimilarity);
                // The match's incident as it is now, read under the lock: an officer may have moved it (reject, merge,
                // split) since the first read.
                var incidentId = best.Candidate.IncidentId ?? known.EarlierIncident[i]
                    ?? throw new InvalidOperationException($"Report {best.Candidate.Features.ReportId} has features but no incident link.");
                link = new IncidentLink { ReportId = features.ReportId, IncidentId = incidentId, State = LinkState.Proposed, Score = similarity.Score, Reason = IncidentLink.Bounded(similarity.Reason), LinkedAt = now };
                // Written with the link, in the one batch of the save: only the time is set (a stand-in row, attached, of
                // which only UpdatedAt is modified), or the incident was opened by a report before this one.
                if (!touched.TryGetValue(incidentId, out var incident))
                    touched[incidentId] = incident = db.Incidents.Attach(new Incident { Id = incidentId, Party = features.Party, Title = "", Category = "" }).Entity;
                incident.UpdatedAt = now;
            }
            else
            {
                var incident = Open(features, now);
                touched[incident.Id] = incident;
                var reason = best is null
                    ? "no earlier report of this party to compare with"
                    : $"no incident matched well enough; best {best.Score:0.###} (report {best.Candidate.Features.ReportId}): {LinkScore.Compare(features, best.Candidate.Features, best.Candidate.TextSimilarity).Reason}";
                link = new IncidentLink { ReportId = features.ReportId, IncidentId = incident.Id, State = LinkState.Opened, Reason = IncidentLink.Bounded(reason), LinkedAt = now };
            }
            db.Features.Add(features);
            db.Links.Add(link);
            links.Add(link);
        }
        return links;
    }

    /// <summary>Whether two reports are compared at all: near enough in time, or sharing an indicator (as the reads ask).</summary>
    private static bool Comparable(ReportFeatures a, ReportFeatures b) =>
        (a.OccurredAt - b.OccurredAt).Duration() <= LinkScore.Window || a.Indicators.Intersect(b.Indicators).Any();

    /// <summary>
    /// Serialises changes to one party's incidents until the transaction ends: grouping a new report, and officers'
    /// decisions, each see the links the one before committed.
    /// </summary>
    public static async Task LockPartyAsync(TriageDb db, string party, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({LockKey(party)}))", cancellationToken);

    private static string LockKey(string party) => "triage:group:" + party;

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

    /// <param name="IncidentId">Read with the candidate only under the lock; null from the first read.</param>
    internal sealed record Candidate(ReportFeatures Features, double TextSimilarity, Guid? IncidentId);

    internal sealed record Scored(Candidate Candidate, double Score);

    private static List<Scored> Score(ReportFeatures report, List<Candidate> candidates) =>
        [.. candidates.Select(c => new Scored(c, LinkScore.Score(report, c.Features, c.TextSimilarity)))];

    private const string CandidateColumns = """
        f.report_id, f.category, f.title, f.model_name, f.model_key, f.developer_key, f.occurred_at,
        f.names, f.concepts, f.indicators, trigram_similarity(f.text_trigrams, q.trigrams) AS text_similarity
        """;

    /// <summary>This report's text's trigrams, made once for all candidates (migration 005_text_trigrams).</summary>
    private const string QueryTrigrams = "q AS MATERIALIZED (SELECT trigram_hashes(@text) AS trigrams)";

    /// <summary>
    /// In one round trip: whether the report was grouped before; the party's last grouped <c>seq</c>; then the reports of
    /// the same party and exercise flag nearest this one in time, within the window, and those sharing an indicator. The
    /// last two are separate statements, so two snapshots, in that order: every report up to <c>seen</c> is visible to
    /// the second.
    /// </summary>
    private async Task<(bool Grouped, long Seen, List<Candidate> Candidates)> FindCandidatesAsync(ReportFeatures report, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(Connection, Transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT EXISTS (SELECT 1 FROM report_features WHERE report_id = @report)")
            { Parameters = { new("report", report.ReportId) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT coalesce(max(seq), 0) FROM report_features WHERE party = @party AND exercise = @exercise")
            { Parameters = { new("party", report.Party), new("exercise", report.Exercise) } });
        // Each branch reads its rows whole from the index scan that finds them (no second lookup by key). The time
        // branches are disjoint; a report found by time and by an indicator comes twice, which changes no best score.
        var near = new NpgsqlBatchCommand($"""
            WITH {QueryTrigrams}
            (SELECT {CandidateColumns}, NULL::uuid FROM report_features f CROSS JOIN q
             WHERE party = @party AND exercise = @exercise AND occurred_at BETWEEN @from AND @at
             ORDER BY occurred_at DESC LIMIT @side)
            UNION ALL
            (SELECT {CandidateColumns}, NULL::uuid FROM report_features f CROSS JOIN q
             WHERE party = @party AND exercise = @exercise AND occurred_at > @at AND occurred_at <= @to
             ORDER BY occurred_at LIMIT @side)
            UNION ALL
            (SELECT {CandidateColumns}, NULL::uuid FROM report_features f CROSS JOIN q
             WHERE party = @party AND exercise = @exercise AND indicators && @indicators LIMIT @side)
            """);
        AddParameters(near.Parameters, report);
        near.Parameters.AddWithValue("side", CandidatesEachSide);
        batch.BatchCommands.Add(near);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var grouped = reader.GetBoolean(0);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var seen = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        return (grouped, seen, await ReadCandidatesAsync(reader, report, cancellationToken));
    }

    /// <summary>What <see cref="DecideAsync"/> reads under the lock, for each report by its index in the list.</summary>
    /// <param name="Later">The reports grouped since the report's first read, with their incidents.</param>
    /// <param name="EarlierIncident">The incident of the first read's best match, as it is now.</param>
    /// <param name="Among">The text similarity of report i to report j before it in the list.</param>
    private sealed record UnderLock(List<Candidate>[] Later, Guid?[] EarlierIncident, Dictionary<(int, int), double> Among);

    /// <summary>
    /// In one round trip: takes the party's lock (<see cref="LockPartyAsync"/>), then reads for each report those grouped
    /// after its first read (a handful: those grouped while it was being scored) with their incidents, and the incident of
    /// its first read's best match — all as they are under the lock; and the similarities of the reports' texts to one
    /// another.
    /// </summary>
    private async Task<UnderLock> LockAndReadAsync(IReadOnlyList<Prepared> reports, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(Connection, Transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtext(@key))") { Parameters = { new("key", LockKey(reports[0].Features.Party)) } });
        foreach (var (features, seen, earlier) in reports)
        {
            var later = new NpgsqlBatchCommand($"""
                WITH {QueryTrigrams}, later AS MATERIALIZED (
                    -- by the (party, exercise, seq) index: a generic plan must not scan the party's 30 days for them
                    SELECT * FROM report_features
                    WHERE party = @party AND exercise = @exercise AND seq > @after
                    ORDER BY seq LIMIT 10000
                )
                SELECT {CandidateColumns}, l.incident_id
                FROM later f JOIN incident_links l ON l.report_id = f.report_id CROSS JOIN q
                WHERE f.occurred_at BETWEEN @from AND @to OR f.indicators && @indicators
                """);
            AddParameters(later.Parameters, features);
            later.Parameters.AddWithValue("after", seen);
            batch.BatchCommands.Add(later);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT incident_id FROM incident_links WHERE report_id = @match")
                { Parameters = { new("match", earlier?.Candidate.Features.ReportId ?? Guid.Empty) } });
        }
        if (reports.Count > 1)
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                WITH t AS MATERIALIZED (SELECT i, trigram_hashes(text) AS trigrams FROM unnest(@texts) WITH ORDINALITY AS x(text, i))
                SELECT a.i - 1, b.i - 1, trigram_similarity(a.trigrams, b.trigrams) FROM t a JOIN t b ON b.i < a.i
                """) { Parameters = { new("texts", reports.Select(r => r.Features.Text).ToArray()) } });

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var known = new UnderLock(new List<Candidate>[reports.Count], new Guid?[reports.Count], []);
        for (var i = 0; i < reports.Count; i++)
        {
            await reader.NextResultAsync(cancellationToken);
            known.Later[i] = await ReadCandidatesAsync(reader, reports[i].Features, cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            known.EarlierIncident[i] = await reader.ReadAsync(cancellationToken) ? reader.GetGuid(0) : null;
        }
        if (reports.Count > 1)
        {
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                known.Among[((int)reader.GetInt64(0), (int)reader.GetInt64(1))] = reader.GetDouble(2);
        }
        return known;
    }

    private NpgsqlConnection Connection => (NpgsqlConnection)db.Database.GetDbConnection();

    private NpgsqlTransaction? Transaction => (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();

    private static void AddParameters(NpgsqlParameterCollection parameters, ReportFeatures report)
    {
        parameters.AddWithValue("text", report.Text);
        parameters.AddWithValue("party", report.Party);
        parameters.AddWithValue("exercise", report.Exercise);
        parameters.AddWithValue("at", report.OccurredAt);
        parameters.AddWithValue("from", report.OccurredAt - LinkScore.Window);
        parameters.AddWithValue("to", report.OccurredAt + LinkScore.Window);
        parameters.AddWithValue("indicators", report.Indicators);
    }

    private static async Task<List<Candidate>> ReadCandidatesAsync(NpgsqlDataReader reader, ReportFeatures report, CancellationToken cancellationToken)
    {
        var candidates = new List<Candidate>();
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
            }, reader.GetDouble(10), reader.IsDBNull(11) ? null : reader.GetGuid(11)));
        return candidates;
    }
}
