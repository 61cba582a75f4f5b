using IncidentExchange.ServiceDefaults;
using IncidentExchange.ServiceDefaults.Data;
using IncidentExchange.Severity;
using IncidentExchange.Severity.Data;
using IncidentExchange.Severity.Rules;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceDatabase<SeverityDb>();
builder.AddSeverityService();

var app = builder.Build();
app.MapServiceDefaults();
app.MapRuleSetEndpoints();

await app.MigrateDatabaseAsync<SeverityDb>();
await app.RecordProtocolRuleSetAsync();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
