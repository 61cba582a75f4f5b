using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentExchange.Gateway.Link;

/// <summary>The two documents that travel on a link (protocols/link.md): envelopes and the receipts that answer them.</summary>
public static class LinkDocuments
{
    public const string Envelope = "envelope";
    public const string Receipt = "receipt";
    public const int Version = 1;

    /// <summary>The largest document a node accepts from the link.</summary>
    public const int MaxBytes = 1 << 20;

    public static JsonObject NewEnvelope(string link, long seq, string? previous, Guid id, string kind, DateTimeOffset sentAt, JsonObject body) => new()
    {
        ["type"] = Envelope,
        ["v"] = Version,
        ["link"] = link,
        ["seq"] = seq,
        ["prev"] = previous,
        ["id"] = id.ToString(),
        ["kind"] = kind,
        ["sentAt"] = Timestamp(sentAt),
        ["body"] = body,
    };

    public static JsonObject NewReceipt(string link, long seq, string hash, string by, DateTimeOffset storedAt, string outcome) => new()
    {
        ["type"] = Receipt,
        ["v"] = Version,
        ["link"] = link,
        ["seq"] = seq,
        ["hash"] = hash,
        ["by"] = by,
        ["storedAt"] = Timestamp(storedAt),
        ["outcome"] = outcome,
    };

    /// <summary>UTC, RFC 3339, to the microsecond: the form PostgreSQL keeps, so a stored time reads back the same.</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A document as it came off the link: strict UTF-8 JSON, an object, within the size and depth bounds.</summary>
    public static JsonDocument Parse(ReadOnlySpan<byte> bytes, out string text)
    {
        if (bytes.Length > MaxBytes)
            throw new FormatException($"it is larger than {MaxBytes} bytes");
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new FormatException("it is not UTF-8");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw new FormatException($"it is not JSON ({e.Message})");
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new FormatException("it is not a JSON object");
        }
        return document;
    }

    public static string Text(JsonElement document, string name) =>
        document.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"its \"{name}\" is missing or not a string");

    public static string? OptionalText(JsonElement document, string name) =>
        !document.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new FormatException($"its \"{name}\" is not a string");

    public static long Number(JsonElement document, string name) =>
        document.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 1
            ? number
            : throw new FormatException($"its \"{name}\" is missing or not a positive integer");
}
