using IncidentExchange.Drills;
using IncidentExchange.Drills.Data;
using IncidentExchange.ServiceDefaults;
using IncidentExchange.ServiceDefaults.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceDatabase<DrillsDb>();
builder.AddDrillsService();

var app = builder.Build();
app.MapServiceDefaults();
app.MapDrillsApi();

await app.MigrateDatabaseAsync<DrillsDb>();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
