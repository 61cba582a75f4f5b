using IncidentExchange.ServiceDefaults;
using IncidentExchange.ServiceDefaults.Data;
using IncidentExchange.Translation;
using IncidentExchange.Translation.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceDatabase<TranslationDb>();
builder.AddTranslationService();

var app = builder.Build();
app.MapServiceDefaults();

await app.MigrateDatabaseAsync<TranslationDb>();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
