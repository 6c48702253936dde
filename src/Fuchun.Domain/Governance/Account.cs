using System.Security.Cryptography;
using System.Text;

namespace Fuchun.Domain.Governance;

/// <summary>
/// A person who uses the platform: a unique user name, the name shown, the roles they act in and, for district and
/// township users, the district they belong to.
/// </summary>
public sealed class Account
{
    public Account(string userName, string displayName, IEnumerable<Role> roles, string? districtCode, DateTimeOffset createdAt)
    {
        UserName = userName;
        DisplayName = displayName;
        Roles = [.. roles.Distinct().Order()];
        DistrictCode = districtCode;
        CreatedAt = createdAt;
    }

    private Account()
    {
        UserName = DisplayName = "";
    }

    public int Id { get; private set; }

    /// <summary>The sign-in name, unique; recorded as the actor of what the account does.</summary>
    public string UserName { get; private set; }

    public string DisplayName { get; private set; }

    public List<Role> Roles { get; private set; } = [];

    /// <summary>The 6-digit district of a district or township user; null for city-wide roles.</summary>
    public string? DistrictCode { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the account was disabled; a disabled account cannot act.</summary>
    public DateTimeOffset? DisabledAt { get; private set; }

    public void Disable(DateTimeOffset at) => DisabledAt ??= at;
}

/// <summary>
/// A bearer token of an account for the API and scripts: only its SHA-256 is stored; it expires, and it can be
/// revoked at any time.
/// </summary>
public sealed class ApiToken
{
    /// <summary>The prefix of every token, so that a leaked one is recognisable.</summary>
    public const string Prefix = "fct_";

    public ApiToken(int accountId, string name, string tokenHash, DateTimeOffset createdAt, DateTimeOffset expiresAt)
    {
        AccountId = accountId;
        Name = name;
        TokenHash = tokenHash;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    private ApiToken()
    {
        Name = TokenHash = "";
    }

    public int Id { get; private set; }

    public int AccountId { get; private set; }

    /// <summary>What the token is for, as its owner named it.</summary>
    public string Name { get; private set; }

    /// <summary>SHA-256 of the token, hex.</summary>
    public string TokenHash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public void Revoke(DateTimeOffset at) => RevokedAt ??= at;

    /// <summary>True when the token may be used at <paramref name="now"/>.</summary>
    public bool IsValidAt(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt;

    /// <summary>A new random token (256 bits), to be shown once.</summary>
    public static string NewToken() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The stored form of <paramref name="token"/>.</summary>
    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
