using IncidentExchange.Reports;
using IncidentExchange.Reports.Data;
using IncidentExchange.ServiceDefaults;
using IncidentExchange.ServiceDefaults.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceDatabase<ReportsDb>();
builder.AddReportsService();

var app = builder.Build();
app.MapServiceDefaults();
app.MapReportsApi();

await app.MigrateDatabaseAsync<ReportsDb>();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
