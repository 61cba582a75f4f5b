using IncidentExchange.ServiceDefaults.Authentication;
using IncidentExchange.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentExchange.ServiceDefaults;

/// <summary>What every IncidentExchange service does the same way: JSON, problems, health, authentication.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks carrying this tag decide readiness (database, broker).</summary>
    public const string ReadyTag = "ready";

    /// <summary>Adds JSON conventions, RFC 9457 problem responses, health checks and bearer-token authentication.</summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<JsonOptions>(options => Json.Configure(options.SerializerOptions));
        // The framework's per-request and per-command logs repeat query strings (which may hold an access token)
        // and SQL; services log what matters themselves.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Services.AddProblems();
        builder.Services.AddHealthChecks();
        builder.Services.AddOpenApi();
        builder.AddTokenAuthentication();
        return builder;
    }

    /// <summary>Maps health endpoints and puts problems, authentication and authorisation in the pipeline.</summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseProblems();
        app.UseAuthentication();
        app.UseAuthorization();
        // The service's own OpenAPI document, on its port only (the edge does not route it): protocols/openapi/ holds
        // the committed copy, and each service's tests fail when the two disagree.
        app.MapOpenApi("/openapi/v1.json");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteHealth,
            // A bus still connecting reports Degraded: not ready for traffic yet.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        return app;
    }

    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
        });
    }
}

/// <summary>The one JSON shape of the platform: camelCase, enums as strings, unknown members refused.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        return options;
    }
}
