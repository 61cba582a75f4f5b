using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentExchange.Translation.Tests.Engines;

/// <summary>
/// A small HTTP server that speaks LibreTranslate's documented API — <c>POST /translate</c> with <c>q</c> (a string or an
/// array), <c>source</c>, <c>target</c>, <c>format</c>, <c>api_key</c>; <c>translatedText</c> in the same shape; errors as
/// a status with <c>{"error": …}</c>. It stands for the external engine (the one fake the tests allow); its
/// "translation" marks each text with the target language and renders a few words by a dictionary the test chooses.
/// </summary>
public sealed class FakeLibreTranslate : IAsyncDisposable
{
    public enum Behaviour { Translate, Fail, Hang, WrongTerm, MissingTerm }

    public sealed record Received(IReadOnlyList<string> Q, string Source, string Target, string Format, string? ApiKey);

    public const string ApiKey = "test-engine-key";

    private readonly WebApplication _app;

    public ConcurrentQueue<Received> Requests { get; } = new();

    public Behaviour Mode { get; set; } = Behaviour.Translate;

    public string Url { get; }

    public FakeLibreTranslate()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/translate", Translate);
        _app.StartAsync().GetAwaiter().GetResult();
        Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
    }

    private async Task<IResult> Translate(HttpRequest request)
    {
        using var body = await JsonDocument.ParseAsync(request.Body);
        var root = body.RootElement;
        var q = root.GetProperty("q");
        var texts = q.ValueKind == JsonValueKind.Array ? q.EnumerateArray().Select(t => t.GetString()!).ToList() : [q.GetString()!];
        var target = root.GetProperty("target").GetString()!;
        var apiKey = root.TryGetProperty("api_key", out var key) ? key.GetString() : null;
        Requests.Enqueue(new Received(texts, root.GetProperty("source").GetString()!, target,
            root.TryGetProperty("format", out var format) ? format.GetString()! : "text", apiKey));

        if (apiKey != ApiKey)
            return Results.Json(new { error = "Invalid API key" }, statusCode: 403);
        switch (Mode)
        {
            case Behaviour.Fail:
                return Results.Json(new { error = "Translation engine overloaded" }, statusCode: 500);
            case Behaviour.Hang:
                await Task.Delay(TimeSpan.FromSeconds(30), request.HttpContext.RequestAborted);
                break;
        }
        var translated = texts.Select(t => Render(t, target)).ToList();
        return q.ValueKind == JsonValueKind.Array ? Results.Json(new { translatedText = translated }) : Results.Json(new { translatedText = translated[0] });
    }

    private string Render(string text, string target)
    {
        var words = Mode switch
        {
            Behaviour.WrongTerm => new Dictionary<string, string> { ["jailbreak"] = "破解", ["model weights"] = "模型重量" },
            Behaviour.MissingTerm => new Dictionary<string, string> { ["jailbreak"] = "逃脱" },
            _ when target == "en" => new Dictionary<string, string> { ["越狱"] = "jailbreak", ["泄露"] = "leak" },
            _ => new Dictionary<string, string> { ["jailbreak"] = "越狱", ["model weights"] = "模型权重" },
        };
        foreach (var (from, to) in words)
            text = text.Replace(from, to, StringComparison.OrdinalIgnoreCase);
        return $"〔{target}〕{text}";
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
