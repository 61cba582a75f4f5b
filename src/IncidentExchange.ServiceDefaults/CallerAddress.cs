using System.Net;
using Microsoft.AspNetCore.Http;

namespace IncidentExchange.ServiceDefaults;

public static class CallerAddress
{
    /// <summary>
    /// Where a request came from, for audit records: the edge's <c>X-Forwarded-For</c> when the request came through
    /// it (from loopback), the connection's address otherwise; at most 64 characters.
    /// </summary>
    public static string? CallerAddressOf(this HttpContext? context)
    {
        var remote = context?.Connection.RemoteIpAddress;
        var address = remote is not null && IPAddress.IsLoopback(remote) &&
                      context!.Request.Headers["X-Forwarded-For"].ToString().Split(',')[0].Trim() is { Length: > 0 } forwarded
            ? forwarded
            : remote?.ToString();
        return address is { Length: > 64 } ? address[..64] : address;
    }
}
