using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using IncidentExchange.Testing;

namespace IncidentExchange.EndToEnd.Tests;

/// <summary>
/// A dashboard-like client on the alerts hub: the official @microsoft/signalr JavaScript client, run by Node
/// (signalr-client/listen.mjs), holding a token. Everything it receives is kept for the test to inspect.
/// </summary>
public sealed class HubListener : IAsyncDisposable
{
    private static readonly string ClientFolder = Repository.PathOf("tests/IncidentExchange.EndToEnd.Tests/signalr-client");
    private readonly Process _node;
    private readonly ConcurrentQueue<JsonElement> _events = new();

    private HubListener(Process node)
    {
        _node = node;
        node.OutputDataReceived += (_, line) =>
        {
            if (!string.IsNullOrWhiteSpace(line.Data))
                _events.Enqueue(JsonDocument.Parse(line.Data).RootElement.Clone());
        };
        node.BeginOutputReadLine();
        node.BeginErrorReadLine();
    }

    public IEnumerable<JsonElement> Alerts => _events.Where(e => e.GetProperty("event").GetString() == "alert").Select(e => e.GetProperty("alert"));

    public static async Task<HubListener> ConnectAsync(string? token)
    {
        if (!Directory.Exists(Path.Combine(ClientFolder, "node_modules")))
            throw new InvalidOperationException($"Run npm install in {ClientFolder} (ops/test.sh does).");
        var node = Process.Start(new ProcessStartInfo("node", ["listen.mjs", new Uri(Platform.Edge, "/hubs/alerts").ToString()])
        {
            WorkingDirectory = ClientFolder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var listener = new HubListener(node);
        await node.StandardInput.WriteLineAsync(token ?? "");
        await node.StandardInput.FlushAsync();
        return listener;
    }

    /// <summary>Waits for the client to connect, or for its refusal, and returns the event that came first.</summary>
    public async Task<JsonElement> FirstEventAsync()
    {
        await Eventually.WaitUntilAsync(() => !_events.IsEmpty, "the SignalR client connected or failed");
        return _events.First();
    }

    public async Task<JsonElement> WaitForAlertAsync(Func<JsonElement, bool> match, string what)
    {
        await Eventually.WaitUntilAsync(() => Alerts.Any(match), what);
        return Alerts.First(match);
    }

    /// <summary>Waits for an event of a kind (<c>stamped</c>, <c>invoked</c>, …) that matches.</summary>
    public async Task<JsonElement> WaitForEventAsync(string kind, Func<JsonElement, bool> match, string what)
    {
        IEnumerable<JsonElement> Matching() => _events.Where(e => e.GetProperty("event").GetString() == kind && match(e));
        await Eventually.WaitUntilAsync(() => Matching().Any(), what);
        return Matching().First();
    }

    /// <summary>Invokes a hub method as this client; the answer arrives as an <c>invoked</c> or <c>invoke-failed</c> event.</summary>
    public async Task InvokeAsync(string method, params object[] args)
    {
        await _node.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new { invoke = method, args }));
        await _node.StandardInput.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _node.StandardInput.Close();
        if (!_node.WaitForExit(5000))
            _node.Kill(entireProcessTree: true);
        await _node.WaitForExitAsync();
        _node.Dispose();
    }
}
