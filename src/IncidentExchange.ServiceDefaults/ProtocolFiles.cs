using System.Reflection;
using System.Text.Json;

namespace IncidentExchange.ServiceDefaults;

/// <summary>
/// Reads data files of <c>protocols/</c> that a service embeds (csproj: EmbeddedResource with LogicalName
/// <c>protocols/…</c>), so that the contract and the running code cannot drift apart.
/// </summary>
public static class ProtocolFiles
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static T Read<T>(Assembly assembly, string path)
    {
        using var stream = assembly.GetManifestResourceStream("protocols/" + path)
            ?? throw new InvalidOperationException($"protocols/{path} is not embedded in {assembly.GetName().Name}.");
        return JsonSerializer.Deserialize<T>(stream, Options)
            ?? throw new InvalidOperationException($"protocols/{path} is empty.");
    }
}
