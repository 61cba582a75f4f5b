using IncidentExchange.ServiceDefaults;
using IncidentExchange.ServiceDefaults.Data;
using IncidentExchange.Alerts;
using IncidentExchange.Alerts.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceDatabase<AlertsDb>();
builder.AddAlertsService();

var app = builder.Build();
app.MapServiceDefaults();
app.MapAlertsApi();

await app.MigrateDatabaseAsync<AlertsDb>();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
