using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentExchange.Translation.Engines;

/// <summary>Where the machine-translation engine is; bound from <c>Translation:Engine</c>. No URL: no engine.</summary>
public sealed class EngineOptions
{
    /// <summary>Base address of a LibreTranslate server, e.g. <c>http://translate.internal:5000/</c>.</summary>
    public string? Url { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>The model the server runs, as the operator knows it (LibreTranslate's API does not say), recorded on each translation.</summary>
    public string? Model { get; set; }

    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// Our language tags as the server names them. A self-hosted LibreTranslate calls Simplified Chinese <c>zh</c>;
    /// libretranslate.com accepts <c>zh-Hans</c>.
    /// </summary>
    public Dictionary<string, string> LanguageCodes { get; set; } = new() { ["en"] = "en", ["zh-Hans"] = "zh" };
}

/// <summary>
/// LibreTranslate's API (open source, self-hostable): <c>POST /translate</c> with <c>q</c> (here always an array, which
/// the API translates item by item), <c>source</c>, <c>target</c>, <c>format</c> and <c>api_key</c>; the answer's
/// <c>translatedText</c> is an array in the same order, and a failure is a non-2xx status with <c>error</c>.
/// </summary>
public sealed class LibreTranslateEngine(HttpClient http, EngineOptions options) : ITranslationEngine
{
    public const string EngineName = "libretranslate";

    private sealed record Request(
        [property: JsonPropertyName("q")] IReadOnlyList<string> Q,
        [property: JsonPropertyName("source")] string Source,
        [property: JsonPropertyName("target")] string Target,
        [property: JsonPropertyName("format")] string Format,
        [property: JsonPropertyName("api_key"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ApiKey);

    public string Name => EngineName;

    public string? Model => options.Model;

    public async Task<IReadOnlyList<string>> TranslateAsync(IReadOnlyList<string> texts, string sourceLanguage, string targetLanguage, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        try
        {
            using var response = await http.PostAsJsonAsync("translate",
                new Request(texts, Code(sourceLanguage), Code(targetLanguage), "text", string.IsNullOrEmpty(options.ApiKey) ? null : options.ApiKey),
                timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            if (!response.IsSuccessStatusCode)
                throw new TranslationEngineException($"{EngineName} answered {(int)response.StatusCode}: {ErrorOf(body)}");
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("translatedText", out var translated) || translated.ValueKind != JsonValueKind.Array
                || translated.GetArrayLength() != texts.Count || translated.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
                throw new TranslationEngineException($"{EngineName} answered without {texts.Count} translated texts.");
            return translated.EnumerateArray().Select(t => t.GetString()!).ToList();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TranslationEngineException($"{EngineName} did not answer within {options.TimeoutSeconds} s.");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            throw new TranslationEngineException($"{EngineName} could not be used: {e.Message}", e);
        }
    }

    private string Code(string language) => options.LanguageCodes.GetValueOrDefault(language, language);

    private static string ErrorOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
                return Truncate(error.GetString()!);
        }
        catch (JsonException)
        {
        }
        return Truncate(body);
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
