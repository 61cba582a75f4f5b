using System.Globalization;
using System.Text.Json;
using NJsonSchema;
using NJsonSchema.Validation;

namespace IncidentExchange.Reports.Protocol;

/// <summary>
/// Reads a report document: protocols/schemas/incident-report.v1.schema.json (embedded, so that the contract and the
/// check cannot drift apart), then what a schema cannot say about time. Errors are keyed by field path
/// (<c>model.name</c>, <c>indicators[0].sha256</c>) for an RFC 9457 validation problem.
/// </summary>
public static class ReportSchema
{
    private static readonly JsonSchema Schema = Load();

    /// <summary>Clocks disagree by a little; a report "from the future" by more than this is refused.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static IncidentReport? Read(JsonElement body, DateTimeOffset now, out Dictionary<string, string[]> errors)
    {
        errors = [];
        foreach (var error in Schema.Validate(body.GetRawText()))
            Add(errors, error);
        if (errors.Count > 0)
            return null;

        var report = body.Deserialize<IncidentReport>(IncidentReport.Json)!;
        if (report.Timeline.OccurredAt > now + ClockSkew)
            errors["timeline.occurredAt"] = ["timeline.occurredAt cannot be in the future."];
        if (report.Timeline.DetectedAt is { } detected)
        {
            if (detected > now + ClockSkew)
                errors["timeline.detectedAt"] = ["timeline.detectedAt cannot be in the future."];
            else if (detected < report.Timeline.OccurredAt)
                errors["timeline.detectedAt"] = ["timeline.detectedAt cannot be before timeline.occurredAt."];
        }
        return errors.Count > 0 ? null : report;
    }

    private static void Add(Dictionary<string, string[]> errors, ValidationError error)
    {
        if (error is ChildSchemaValidationError child)
        {
            foreach (var inner in child.Errors.SelectMany(e => e.Value))
                Add(errors, inner);
            return;
        }
        var field = Field(error);
        var message = Message(field, error);
        errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
    }

    private static string Field(ValidationError error)
    {
        var path = error.Path?.TrimStart('#').TrimStart('/') ?? "";
        return path.Length == 0 ? "body" : path;
    }

    private static string Message(string field, ValidationError error)
    {
        var schema = error.Schema;
        return error.Kind switch
        {
            ValidationErrorKind.PropertyRequired => $"{field} is required.",
            ValidationErrorKind.NoAdditionalPropertiesAllowed => $"{field} is not a member of this object in protocol v1.",
            ValidationErrorKind.NotInEnumeration =>
                $"{field} must be one of: {string.Join(", ", schema.Enumeration.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))}.",
            ValidationErrorKind.StringTooLong => $"{field} must be at most {schema.MaxLength} characters.",
            ValidationErrorKind.StringTooShort or ValidationErrorKind.PatternMismatch when schema.Pattern == @"\S" => $"{field} must not be blank.",
            ValidationErrorKind.PatternMismatch => $"{field} does not have the required form ({schema.Pattern}).",
            ValidationErrorKind.DateTimeExpected => $"{field} must be an RFC 3339 date-time, e.g. 2026-11-20T08:30:00Z.",
            ValidationErrorKind.EmailExpected => $"{field} must be an e-mail address.",
            ValidationErrorKind.NumberTooBig or ValidationErrorKind.NumberTooSmall => $"{field} must be between {schema.Minimum} and {schema.Maximum}.",
            ValidationErrorKind.TooManyItems => $"{field} may have at most {schema.MaxItems} items.",
            ValidationErrorKind.ItemsNotUnique => $"{field} must not repeat an item.",
            ValidationErrorKind.ObjectExpected when field == "body" => "The body must be a JSON object: a protocol v1 report.",
            ValidationErrorKind.ObjectExpected => $"{field} must be an object.",
            ValidationErrorKind.ArrayExpected => $"{field} must be an array.",
            ValidationErrorKind.StringExpected => $"{field} must be a string.",
            ValidationErrorKind.BooleanExpected => $"{field} must be true or false.",
            ValidationErrorKind.IntegerExpected => $"{field} must be a whole number.",
            ValidationErrorKind.NumberExpected => $"{field} must be a number.",
            _ => $"{field} is not valid ({error.Kind}).",
        };
    }

    private static JsonSchema Load()
    {
        const string path = "protocols/schemas/incident-report.v1.schema.json";
        using var stream = typeof(ReportSchema).Assembly.GetManifestResourceStream(path)
            ?? throw new InvalidOperationException($"{path} is not embedded.");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromJsonAsync(reader.ReadToEnd()).GetAwaiter().GetResult();
    }
}
