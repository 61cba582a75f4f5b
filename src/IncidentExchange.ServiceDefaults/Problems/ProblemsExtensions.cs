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
            else if (context.Exception is InvalidDataException)
            {
                // A form or multipart body beyond the framework's limits, or not well formed.
                context.ProblemDetails.Status = StatusCodes.Status400BadRequest;
                context.ProblemDetails.Title = "Malformed request";
                context.ProblemDetails.Detail = "The request's form is malformed or exceeds the form limits.";
                context.HttpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            }
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        return services;
    }

    public static WebApplication UseProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>Turns a request the framework could not read (its body, its form) into a 400/413 problem instead of a 500.</summary>
    private sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not (BadHttpRequestException or InvalidDataException))
                return false;
            context.Response.StatusCode = (exception as BadHttpRequestException)?.StatusCode ?? StatusCodes.Status400BadRequest;
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, Exception = exception });
        }
    }

    /// <summary>
    /// A database that is down or restarting is a temporary condition, not a server bug: 503 with Retry-After, so that
    /// a lab's system knows to send the report again. (The request's transaction did not commit, or its commit was not
    /// confirmed; reports filed again are told apart by the idempotency key once the protocol has one.)
    /// </summary>
    private sealed class DatabaseUnavailableExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public const int RetryAfterSeconds = 5;

        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (!IsDatabaseUnavailable(exception))
                return false;
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = exception,
                ProblemDetails =
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "Temporarily unavailable",
                    Detail = $"The service's database cannot be reached just now. Send the request again after {RetryAfterSeconds} seconds.",
                },
            });
        }

        private static bool IsDatabaseUnavailable(Exception? exception)
        {
            for (; exception is not null; exception = exception.InnerException)
            {
                if (exception is Npgsql.NpgsqlException { IsTransient: true })
                    return true;
            }
            return false;
        }
    }
}
