namespace IncidentExchange.Testing;

/// <summary>Finds files of this repository (ops/demo, protocols) from a test's output folder.</summary>
public static class Repository
{
    public static readonly string Root = Find(AppContext.BaseDirectory);

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IncidentExchange.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"No IncidentExchange.sln above {start}.");
    }
}
