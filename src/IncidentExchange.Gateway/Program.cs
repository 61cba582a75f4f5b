using IncidentExchange.Gateway;
using IncidentExchange.Gateway.Data;
using IncidentExchange.Gateway.Record;
using IncidentExchange.ServiceDefaults;
using IncidentExchange.ServiceDefaults.Data;

if (args is ["verify-record", var first, var second])
    return RecordVerifier.Run(first, second, Console.Out);

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceDatabase<GatewayDb>();
builder.AddGatewayService();

var app = builder.Build();
app.MapServiceDefaults();
app.MapGatewayApi();

await app.MigrateDatabaseAsync<GatewayDb>();
app.Run();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
