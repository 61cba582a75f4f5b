using System.Globalization;
using System.Text;
using System.Text.Json;
using IncidentExchange.Drills.Data;
using IncidentExchange.Drills.Scenarios;
using Microsoft.EntityFrameworkCore;

namespace IncidentExchange.Drills.Measuring;

/// <summary>
/// The after-action report of a drill: per inject and per party, the time from the inject's filing to each stamp and
/// to the release; each expected action met, late, missed or still pending; and each party's score (met as a share of
/// the expected actions of the injects that were filed). A party's contact point sees only its own party's measures.
/// </summary>
public static class AfterActionReport
{
    public sealed record MeasureView(string Party, string Stamp, DateTimeOffset At, double Seconds, string? By);

    public sealed record ExpectationView(string Party, string Role, string Action, int WithinMinutes, DateTimeOffset? Deadline, DateTimeOffset? At,
        double? Seconds, string Outcome);

    public sealed record InjectView(int Sequence, int OffsetMinutes, string Party, string Lab, string Title, string Status, DateTimeOffset? FiledAt,
        Guid? ReportId, string? Error, IReadOnlyList<MeasureView> Measures, IReadOnlyList<ExpectationView> Expectations);

    public sealed record CheckView(Guid Id, string Party, DateTimeOffset SentAt, int AcknowledgeWithinMinutes, IReadOnlyList<MeasureView> Measures,
        ExpectationView Expectation);

    public sealed record PartyScore(int Expected, int Met, int Late, int Missed, int Pending, int? Score, double? MedianAcknowledgeSeconds);

    public sealed record View(
        Guid Id, string Name, string? Scenario, IReadOnlyList<string> Parties, string Status, bool Exercise, string CreatedBy, string CreatedParty,
        DateTimeOffset CreatedAt, DateTimeOffset StartsAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, double ElapsedSeconds,
        IReadOnlyList<InjectView> Injects, IReadOnlyList<CheckView> Checks, IReadOnlyDictionary<string, PartyScore> Scores);

    public const string Met = "met";
    public const string Late = "late";
    public const string Missed = "missed";
    public const string Pending = "pending";
    public const string NotFiled = "not-filed";

    /// <summary>The title a contact point sees of another party's inject that never reached it.</summary>
    public const string NotReceived = "(not received by your party)";

    private static readonly Dictionary<string, string> StampOfAction = new()
    {
        ["acknowledge"] = Stamps.Acknowledged, ["release"] = Stamps.Released, ["respond"] = Stamps.Responded,
    };

    /// <param name="onlyParty">For a contact point: its party's measures only, and only injects its party filed or received.</param>
    public static async Task<View> BuildAsync(DrillsDb db, Drill drill, DateTimeOffset now, string? onlyParty, CancellationToken cancellationToken)
    {
        var injects = await db.Injects.AsNoTracking().Where(i => i.DrillId == drill.Id).OrderBy(i => i.Sequence).ToListAsync(cancellationToken);
        var checks = await db.Checks.AsNoTracking().Where(c => c.DrillId == drill.Id).OrderBy(c => c.Party).ToListAsync(cancellationToken);
        var subjects = injects.Where(i => i.ReportId != null).Select(i => i.ReportId!.Value).Concat(checks.Select(c => c.Id)).ToList();
        var observations = (await db.Observations.AsNoTracking().Where(o => subjects.Contains(o.SubjectId)).ToListAsync(cancellationToken))
            .Where(o => onlyParty is null || o.Party == onlyParty)
            .ToLookup(o => o.SubjectId);
        var ended = drill.Status is Drill.Stopped or Drill.Finished;

        var injectViews = new List<InjectView>();
        foreach (var inject in injects)
        {
            var seen = inject.ReportId is { } reportId ? observations[reportId].ToList() : [];
            // A contact point is shown another party's inject by title only once its own system received it.
            var hidden = onlyParty is not null && inject.Party != onlyParty && seen.Count == 0;
            var measures = seen.OrderBy(o => o.At).ThenBy(o => o.Party != inject.Party).Select(o => Measure(o, inject.FiledAt)).ToList();
            var expectations = new List<ExpectationView>();
            foreach (var expected in JsonSerializer.Deserialize<List<Expectation>>(inject.Expectations, JsonSerializerOptions.Web) ?? [])
                foreach (var party in expected.Party == "home" ? [inject.Party] : drill.Parties.Where(p => p != inject.Party))
                    if (onlyParty is null || party == onlyParty)
                        expectations.Add(Evaluate(party, expected.Party, expected.Action, expected.WithinMinutes, inject.FiledAt,
                            seen.FirstOrDefault(o => o.Party == party && o.Stamp == StampOfAction[expected.Action]), now, ended));
            var status = inject.FiledAt is not null ? "filed" : inject.FailedAt is not null ? "failed" : inject.Attempts > 0 ? "retrying" : "pending";
            injectViews.Add(new InjectView(inject.Sequence, inject.OffsetMinutes, inject.Party, inject.Lab, hidden ? NotReceived : inject.Title, status,
                inject.FiledAt, hidden ? null : inject.ReportId, onlyParty is null ? inject.Error : null, measures, expectations));
        }

        var checkViews = checks.Where(c => onlyParty is null || c.Party == onlyParty).Select(check =>
        {
            var seen = observations[check.Id].Where(o => o.Party == check.Party).ToList();
            return new CheckView(check.Id, check.Party, check.SentAt, check.AcknowledgeWithinMinutes,
                seen.OrderBy(o => o.At).Select(o => Measure(o, check.SentAt)).ToList(),
                Evaluate(check.Party, "home", "acknowledge", check.AcknowledgeWithinMinutes, check.SentAt,
                    seen.FirstOrDefault(o => o.Stamp == Stamps.Acknowledged), now, ended));
        }).ToList();

        var scores = drill.Parties.Where(p => onlyParty is null || p == onlyParty).ToDictionary(p => p, party =>
        {
            var all = injectViews.SelectMany(i => i.Expectations).Concat(checkViews.Select(c => c.Expectation))
                .Where(e => e.Party == party && e.Outcome != NotFiled).ToList();
            var acknowledgements = injectViews.SelectMany(i => i.Measures).Concat(checkViews.SelectMany(c => c.Measures))
                .Where(m => m.Party == party && m.Stamp == Stamps.Acknowledged).Select(m => m.Seconds).Order().ToList();
            var met = all.Count(e => e.Outcome == Met);
            return new PartyScore(all.Count, met, all.Count(e => e.Outcome == Late), all.Count(e => e.Outcome == Missed),
                all.Count(e => e.Outcome == Pending), all.Count == 0 ? null : (int)Math.Round(100.0 * met / all.Count),
                acknowledgements.Count == 0 ? null : Median(acknowledgements));
        });

        return new View(drill.Id, drill.Name, drill.Scenario, drill.Parties, drill.Status, true, drill.CreatedBy, drill.CreatedParty, drill.CreatedAt,
            drill.StartsAt, drill.StartedAt, drill.EndedAt, Math.Round(drill.ElapsedAt(now).TotalSeconds, 3), injectViews, checkViews, scores);
    }

    private static MeasureView Measure(Observation o, DateTimeOffset? from) =>
        new(o.Party, o.Stamp, o.At, from is { } start ? Math.Round((o.At - start).TotalSeconds, 3) : 0, o.By);

    private static ExpectationView Evaluate(string party, string role, string action, int withinMinutes, DateTimeOffset? from, Observation? done,
        DateTimeOffset now, bool ended)
    {
        if (from is not { } start)
            return new ExpectationView(party, role, action, withinMinutes, null, null, null, NotFiled);
        var deadline = start.AddMinutes(withinMinutes);
        var outcome = done is not null ? done.At <= deadline ? Met : Late : now > deadline || ended ? Missed : Pending;
        return new ExpectationView(party, role, action, withinMinutes, deadline, done?.At,
            done is null ? null : Math.Round((done.At - start).TotalSeconds, 3), outcome);
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    /// <summary>One row per measure and per expectation; cells that a spreadsheet would read as a formula are prefixed with <c>'</c>.</summary>
    public static string Csv(View report)
    {
        var csv = new StringBuilder("drill,item,item_party,party,kind,what,limit_minutes,deadline,at,seconds,by,outcome\r\n");
        void Row(string item, string itemParty, string party, string kind, string what, int? limit, DateTimeOffset? deadline, DateTimeOffset? at,
            double? seconds, string? by, string? outcome) =>
            csv.AppendJoin(',', new[]
            {
                report.Id.ToString(), item, itemParty, party, kind, what, limit?.ToString(CultureInfo.InvariantCulture), deadline?.ToString("O"),
                at?.ToString("O"), seconds?.ToString(CultureInfo.InvariantCulture), by, outcome,
            }.Select(Cell)).Append("\r\n");

        foreach (var inject in report.Injects)
        {
            var item = $"inject {inject.Sequence}";
            foreach (var m in inject.Measures)
                Row(item, inject.Party, m.Party, "measure", m.Stamp, null, null, m.At, m.Seconds, m.By, null);
            foreach (var e in inject.Expectations)
                Row(item, inject.Party, e.Party, "expectation", e.Action, e.WithinMinutes, e.Deadline, e.At, e.Seconds, null, e.Outcome);
        }
        foreach (var check in report.Checks)
        {
            foreach (var m in check.Measures)
                Row("check", check.Party, m.Party, "measure", m.Stamp, null, null, m.At, m.Seconds, m.By, null);
            var e = check.Expectation;
            Row("check", check.Party, e.Party, "expectation", e.Action, e.WithinMinutes, e.Deadline, e.At, e.Seconds, null, e.Outcome);
        }
        return csv.ToString();
    }

    private static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            return value;
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            value = "'" + value;
        return "\"" + value.Replace("\"", "\"\"") + "\"";
    }
}
