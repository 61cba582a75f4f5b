using IncidentExchange.Identity;
using IncidentExchange.Identity.Data;
using IncidentExchange.Identity.Demo;
using IncidentExchange.Identity.Keys;
using IncidentExchange.Identity.Sessions;
using Microsoft.AspNetCore.HttpOverrides;
using IncidentExchange.ServiceDefaults;
using IncidentExchange.ServiceDefaults.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceDatabase<IdentityDb>();
builder.AddIdentityService();
builder.AddKeyProtection();

var app = builder.Build();
// Behind the edge: its X-Forwarded-Proto makes the session cookie Secure where the edge speaks TLS.
app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedFor });
app.UseCrossSiteRequestProtection();
app.MapServiceDefaults();
app.MapIdentityApi();

await app.MigrateDatabaseAsync<IdentityDb>();
await app.SeedDemoAsync();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
