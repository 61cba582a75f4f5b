using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IncidentExchange.Gateway.Signing;

/// <summary>
/// The JSON Canonicalization Scheme (RFC 8785): the one byte form of a JSON value that both nodes sign and hash.
/// Members are sorted by their names' UTF-16 code units, strings carry only the escapes the RFC requires, and numbers
/// are written as ECMAScript writes an IEEE 754 double. Input with a repeated member name is refused (RFC 8785 §3.1
/// requires I-JSON, RFC 7493).
/// </summary>
public static class CanonicalJson
{
    public static byte[] Serialize(JsonElement value)
    {
        var text = new StringBuilder();
        try
        {
            Write(value, text);
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException("A member name is not valid Unicode (a lone surrogate); RFC 8785 canonicalises I-JSON only.", e);
        }
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetBytes(text.ToString());
    }

    public static byte[] Serialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Serialize(document.RootElement);
    }

    private static void Write(JsonElement value, StringBuilder text)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var members = value.EnumerateObject().ToList();
                if (members.Select(m => m.Name).Distinct(StringComparer.Ordinal).Count() != members.Count)
                    throw new FormatException("A JSON object repeats a member name; RFC 8785 canonicalises I-JSON only.");
                text.Append('{');
                var first = true;
                foreach (var member in members.OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    if (!first)
                        text.Append(',');
                    first = false;
                    WriteString(member.Name, text);
                    text.Append(':');
                    Write(member.Value, text);
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (index++ > 0)
                        text.Append(',');
                    Write(item, text);
                }
                text.Append(']');
                break;
            case JsonValueKind.String:
                string content;
                try
                {
                    content = value.GetString()!;
                }
                catch (InvalidOperationException e)
                {
                    throw new FormatException("A JSON string is not valid Unicode (a lone surrogate); RFC 8785 canonicalises I-JSON only.", e);
                }
                WriteString(content, text);
                break;
            case JsonValueKind.Number:
                text.Append(Number(value.GetDouble()));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            case JsonValueKind.Null:
                text.Append("null");
                break;
            default:
                throw new FormatException($"A JSON value of kind {value.ValueKind} cannot be canonicalised.");
        }
    }

    private static void WriteString(string value, StringBuilder text)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[++i]);
                continue;
            }
            if (char.IsSurrogate(c))
                throw new FormatException("A JSON string holds a lone surrogate; RFC 8785 canonicalises I-JSON only.");
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ': text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: text.Append(c); break;
            }
        }
        text.Append('"');
    }

    /// <summary>A double as ECMAScript's Number.prototype.toString writes it (ECMA-262 Number::toString, RFC 8785 §3.2.2.3).</summary>
    public static string Number(double value)
    {
        if (!double.IsFinite(value))
            throw new FormatException("NaN and infinities have no JSON form.");
        if (value == 0)
            return "0"; // and -0 too
        // .NET writes the shortest digits that round-trip (as ECMAScript requires); only the layout differs.
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = shortest.IndexOfAny(['E', 'e']);
        var mantissa = exponentAt < 0 ? shortest : shortest[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(shortest[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.');
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        // value = 0.digits × 10^n
        var n = (point < 0 ? mantissa.Length : point) + exponent;
        var leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        n -= leading;
        var k = digits.Length;

        var sign = value < 0 ? "-" : "";
        if (k <= n && n <= 21)
            return sign + digits + new string('0', n - k);
        if (0 < n && n <= 21)
            return sign + digits[..n] + "." + digits[n..];
        if (-6 < n && n <= 0)
            return sign + "0." + new string('0', -n) + digits;
        var e = n - 1;
        var power = (e < 0 ? "-" : "+") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        return sign + (k == 1 ? digits : digits[0] + "." + digits[1..]) + "e" + power;
    }
}
