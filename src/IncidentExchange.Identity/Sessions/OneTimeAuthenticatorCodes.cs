using IncidentExchange.Identity.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OtpNet;

namespace IncidentExchange.Identity.Sessions;

/// <summary>
/// TOTP codes (RFC 6238) that work once. ASP.NET Core Identity's own authenticator provider accepts the same code again
/// for as long as it is in its window (dotnet/aspnetcore#14423); this one accepts the same window (two 30-second steps
/// either side) but only a code of a later step than the last one accepted for that person, recorded in the same
/// statement that checks it, so that two requests with one code cannot both pass. Verification is Otp.NET's.
/// </summary>
public sealed class OneTimeAuthenticatorCodes(IdentityDb db, TimeProvider clock) : IUserTwoFactorTokenProvider<User>
{
    private static readonly VerificationWindow Window = new(previous: 2, future: 2);

    public Task<string> GenerateAsync(string purpose, UserManager<User> manager, User user) => Task.FromResult("");

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<User> manager, User user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<User> manager, User user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrWhiteSpace(key) || token.Length != 6 || !token.All(char.IsAsciiDigit))
            return false;
        if (!new Totp(Base32Encoding.ToBytes(key)).VerifyTotp(clock.GetUtcNow().UtcDateTime, token, out var step, Window))
            return false;
        var taken = await db.Users
            .Where(u => u.Id == user.Id && (u.LastTotpStep == null || u.LastTotpStep < step))
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LastTotpStep, step));
        if (taken == 1)
            user.LastTotpStep = step; // the tracked user is saved again by the sign-in; it must not write the old step back
        return taken == 1;
    }
}
