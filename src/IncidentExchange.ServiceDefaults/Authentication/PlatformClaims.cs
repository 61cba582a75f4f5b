using System.Security.Claims;

namespace IncidentExchange.ServiceDefaults.Authentication;

/// <summary>The claims every token and session carries, and typed access to them.</summary>
public static class PlatformClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Party = "party";
    public const string Organisation = "org";
    public const string Role = "role";
    public const string ClientId = "client_id";

    /// <summary>The audience every service accepts.</summary>
    public const string Audience = "incidentexchange";

    public static string Party_(this ClaimsPrincipal user) => user.FindFirstValue(Party) ?? "";

    public static string PartyOf(this ClaimsPrincipal user) =>
        user.FindFirstValue(Party) ?? throw new InvalidOperationException("Authenticated principal has no party claim.");

    public static Guid OrganisationOf(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(Organisation), out var id)
            ? id
            : throw new InvalidOperationException("Authenticated principal has no organisation claim.");

    public static string SubjectOf(this ClaimsPrincipal user) => user.FindFirstValue(Subject) ?? "";

    public static bool IsContactPoint(this ClaimsPrincipal user) =>
        user.IsInRole(Roles.NcpOfficer) || user.IsInRole(Roles.NcpDuty);
}

/// <summary>The roles of the security model (DESIGN.md §4).</summary>
public static class Roles
{
    public const string Reporter = "reporter";
    public const string NcpOfficer = "ncp-officer";
    public const string NcpDuty = "ncp-duty";
    public const string Coordinator = "coordinator";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Reporter, NcpOfficer, NcpDuty, Coordinator, Auditor, Admin };

    /// <summary>A grant of roles, to a person or a client: one or more of <see cref="All"/>, each once.</summary>
    public static bool IsGrant(IReadOnlyList<string>? roles) =>
        roles is { Count: > 0 } && roles.All(All.Contains) && roles.Distinct().Count() == roles.Count;

    /// <summary>What <see cref="IsGrant"/> asks, for a problem response.</summary>
    public static string GrantRule => $"roles: one or more of {string.Join(", ", All.Order())}, each once.";
}
