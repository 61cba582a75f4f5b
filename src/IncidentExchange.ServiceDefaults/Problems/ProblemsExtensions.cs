using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentExchange.ServiceDefaults.Problems;

/// <summary>Every failure leaves a service as an RFC 9457 problem response, never as a stack trace.</summary>
public static class ProblemsExtensions
{
    public static IServiceCollection AddProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
            if (context.Exception is BadHttpRequestException bad)
            {
                // Malformed JSON, oversized bodies and the like: the client's fault, said plainly.
                context.ProblemDetails.Status = bad.StatusCode;
                context.ProblemDetails.Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? "Request body too large"
                    : "Malformed request";
                context.ProblemDetails.Detail = bad.InnerException is System.Text.Json.JsonException
                    ? "The request body is not valid JSON for this endpoint, or has members it does not accept."
                    : bad.Message;
                context.HttpContext.Response.StatusCode = bad.StatusCode;
            }
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        return services;
    }

    public static WebApplication UseProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>Turns a request the framework could not read into a 400/413 problem instead of a 500.</summary>
    private sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad)
                return false;
            context.Response.StatusCode = bad.StatusCode;
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, Exception = exception });
        }
    }
}
