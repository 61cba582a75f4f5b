using System.Security.Cryptography;
using System.Text;
using IncidentExchange.Reports.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IncidentExchange.Reports.Submission;

/// <summary>
/// The <c>Idempotency-Key</c> header (as in the IETF httpapi draft) on filing, amending and releasing: a client that
/// retries after a timeout sends the same key, and gets the first result instead of a second report, version or
/// release. <see cref="Request.Operation"/> names the kind of request; its target (a report id) is part of the body.
/// Keys belong to the client's organisation. The
/// key is stored in the same transaction as the report, so two requests racing with one key file one report: the
/// second waits on the key's primary key, then finds the first's record.
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";

    public sealed record Request(Guid OrganisationId, string Key, string Operation, string Body)
    {
        public string Hash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Operation + "\n" + Body)));

        public IdempotencyRecord Record(Guid reportId, int version, DateTimeOffset now, Guid? resultId = null) => new()
        {
            OrganisationId = OrganisationId, Key = Key, Operation = Operation, RequestHash = Hash,
            ReportId = reportId, Version = version, ResultId = resultId, CreatedAt = now,
        };
    }

    /// <summary>The header's value; empty (not absent) when sent without one, which is then refused.</summary>
    public static string? KeyOf(HttpRequest request) =>
        request.Headers.TryGetValue(Header, out var values) ? values.ToString() : null;

    public static void Validate(string? key, Dictionary<string, string[]> errors)
    {
        if (key is not null && (key.Length is 0 or > IdempotencyRecord.KeyMaxLength || key.Any(c => c is < '!' or > '~')))
            errors[Header] = [$"{Header} must be 1 to {IdempotencyRecord.KeyMaxLength} visible ASCII characters, e.g. a UUID."];
    }

    public static Task<IdempotencyRecord?> FindAsync(ReportsDb db, Request request, CancellationToken cancellationToken) =>
        db.IdempotencyKeys.AsNoTracking()
            .SingleOrDefaultAsync(k => k.OrganisationId == request.OrganisationId && k.Key == request.Key, cancellationToken);

    public static bool Matches(this IdempotencyRecord earlier, Request request) =>
        earlier.Operation == request.Operation && earlier.RequestHash == request.Hash;

    /// <summary>Saves; false when another request with the same key committed first (and nothing of this one was stored).</summary>
    public static async Task<bool> SaveAsync(ReportsDb db, Request? request, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (request is not null &&
            e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "pk_idempotency_keys" })
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    public static IResult Conflict() => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "Idempotency-Key already used for another request",
        detail: $"This organisation already used the {Header} for a different request. Use a new key for a new request.");
}
