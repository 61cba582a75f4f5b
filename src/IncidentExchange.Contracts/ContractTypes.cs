namespace IncidentExchange.Contracts;

/// <summary>Finds a message type of this assembly by its full name, the identity it has on the wire and in outboxes.</summary>
public static class ContractTypes
{
    private static readonly Dictionary<string, Type> ByName = typeof(ContractTypes).Assembly.GetTypes()
        .Where(t => t.IsPublic && t.Namespace?.StartsWith("IncidentExchange.Contracts.", StringComparison.Ordinal) == true)
        .ToDictionary(t => t.FullName!);

    public static Type? Find(string fullName) => ByName.GetValueOrDefault(fullName);
}
