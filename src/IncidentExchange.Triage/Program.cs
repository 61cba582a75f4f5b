using IncidentExchange.ServiceDefaults;
using IncidentExchange.ServiceDefaults.Data;
using IncidentExchange.Triage;
using IncidentExchange.Triage.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
// Grouping's reads (Grouper) got a fresh plan at every call, as PostgreSQL's default keeps choosing for a prepared
// statement whose parameters it cannot estimate once for all (time windows, limits): 0.3-0.7 ms of planning each, more
// than the execution of most. Their generic plans are the same index scans. Triage's other reads look rows up by key,
// party or incident.
builder.AddServiceDatabase<TriageDb>(connection => connection.Options = "-c plan_cache_mode=force_generic_plan");
builder.AddTriageService();

var app = builder.Build();
app.MapServiceDefaults();
app.MapTriageApi();

await app.MigrateDatabaseAsync<TriageDb>();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
