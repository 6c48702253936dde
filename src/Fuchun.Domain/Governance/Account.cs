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

    /// <summary>The 9-digit township (乡镇/街道) of a township user, who sees only the projects that take it in.</summary>
    public string? TownshipCode { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the account was disabled; a disabled account cannot act.</summary>
    public DateTimeOffset? DisabledAt { get; private set; }

    /// <summary>The password's hash (PBKDF2, as ASP.NET Core Identity stores it); null when the account has none yet.</summary>
    public string? PasswordHash { get; private set; }

    /// <summary>True when the password was set by someone else (first sign-in, reset): it must be changed before anything else.</summary>
    public bool MustChangePassword { get; private set; }

    /// <summary>Failed sign-ins since the last success or lockout.</summary>
    public int FailedSignIns { get; private set; }

    /// <summary>Until when sign-in is refused after too many failures.</summary>
    public DateTimeOffset? LockedUntil { get; private set; }

    public DateTimeOffset? LastSignInAt { get; private set; }

    /// <summary>
    /// Changes whenever what the account may do changes (password, roles, district, disabling), so that sessions
    /// signed in before the change end at their next request.
    /// </summary>
    public string SecurityStamp { get; private set; } = NewStamp();

    public void Disable(DateTimeOffset at)
    {
        DisabledAt ??= at;
        SecurityStamp = NewStamp();
    }

    /// <summary>Ends every session signed in so far (sign-out).</summary>
    public void EndSessions() => SecurityStamp = NewStamp();

    /// <summary>Sets the password's hash; <paramref name="mustChange"/> when someone other than the owner chose it.</summary>
    public void SetPassword(string hash, bool mustChange)
    {
        PasswordHash = hash;
        MustChangePassword = mustChange;
        FailedSignIns = 0;
        LockedUntil = null;
        SecurityStamp = NewStamp();
    }

    /// <summary>Grants exactly <paramref name="roles"/> (the security administrator's act), with the district they need.</summary>
    public void SetRoles(IEnumerable<Role> roles, string? districtCode, string? townshipCode = null)
    {
        Roles = [.. roles.Distinct().Order()];
        DistrictCode = districtCode;
        TownshipCode = townshipCode;
        SecurityStamp = NewStamp();
    }

    /// <summary>True when sign-in is refused at <paramref name="now"/> because of earlier failures.</summary>
    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && now < until;

    /// <summary>Counts a failed sign-in; the <see cref="SignInPolicy.MaxFailures"/>th locks the account for <see cref="SignInPolicy.Lockout"/>.</summary>
    public bool RecordFailedSignIn(DateTimeOffset now)
    {
        if (LockedUntil is { } until && now >= until)
        {
            LockedUntil = null;
            FailedSignIns = 0;
        }

        FailedSignIns++;
        if (FailedSignIns < SignInPolicy.MaxFailures)
        {
            return false;
        }

        LockedUntil = now + SignInPolicy.Lockout;
        FailedSignIns = 0;
        return true;
    }

    public void RecordSignIn(DateTimeOffset now)
    {
        FailedSignIns = 0;
        LockedUntil = null;
        LastSignInAt = now;
    }

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

/// <summary>
/// The sign-in rules of the governance issue (等保2.0 三级 practice): passwords of at least 8 characters from at least
/// three of the four classes (lower case, upper case, digits, others), and a lockout of 15 minutes after 5 failures.
/// </summary>
public static class SignInPolicy
{
    public const int MinLength = 8;

    public const int MaxLength = 128;

    public const int MaxFailures = 5;

    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);

    /// <summary>What is wrong with <paramref name="password"/> for <paramref name="userName"/>, in the user's words; empty when it is acceptable.</summary>
    public static IReadOnlyList<string> PasswordProblems(string? password, string userName)
    {
        password ??= "";
        var problems = new List<string>();
        if (password.Length is < MinLength or > MaxLength)
        {
            problems.Add(Resources.Messages.PasswordLength(MinLength, MaxLength));
        }

        var classes = (password.Any(char.IsLower) ? 1 : 0) + (password.Any(char.IsUpper) ? 1 : 0) + (password.Any(char.IsDigit) ? 1 : 0)
            + (password.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);
        if (classes < 3)
        {
            problems.Add(Resources.Messages.PasswordClasses());
        }

        if (userName.Length > 0 && password.Contains(userName, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(Resources.Messages.PasswordHasUserName());
        }

        return problems;
    }

    /// <summary>A random password that meets the policy (16 characters of all four classes), for first sign-in and resets.</summary>
    public static string GeneratePassword()
    {
        const string lower = "abcdefghijkmnpqrstuvwxyz", upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", digits = "23456789", other = "-_.!@#%+=";
        string[] sets = [lower, upper, digits, other];
        var all = string.Concat(sets);
        var chars = new char[16];
        for (var i = 0; i < chars.Length; i++)
        {
            var set = i < sets.Length ? sets[i] : all;
            chars[i] = set[RandomNumberGenerator.GetInt32(set.Length)];
        }

        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }
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
