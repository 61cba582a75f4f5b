using IncidentExchange.ServiceDefaults;
using IncidentExchange.ServiceDefaults.Data;
using IncidentExchange.Triage;
using IncidentExchange.Triage.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceDatabase<TriageDb>();
builder.AddTriageService();

var app = builder.Build();
app.MapServiceDefaults();
app.MapTriageApi();

await app.MigrateDatabaseAsync<TriageDb>();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
