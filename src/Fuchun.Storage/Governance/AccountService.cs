using System.Text.Json;
using Fuchun.Domain.Governance;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Reference;
using Fuchun.Domain.Resources;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Fuchun.Storage.Governance;

/// <summary>An account and what it may act as, after its token or password was checked.</summary>
public sealed record AuthenticatedAccount(string UserName, string DisplayName, IReadOnlyList<Role> Roles, string? DistrictCode, bool MustChangePassword = false, string SecurityStamp = "", string? TownshipCode = null);

/// <summary>A new account and its initial password, to be handed over once (it must be changed at first sign-in).</summary>
public sealed record NewAccount(Account Account, string InitialPassword);

/// <summary>How a sign-in ended.</summary>
public enum SignInOutcome
{
    SignedIn,
    WrongPassword,
    LockedOut,
    Disabled,
}

/// <summary>The outcome of a sign-in: the account when it succeeded, the lockout's end when it is locked.</summary>
public sealed record SignInResult(SignInOutcome Outcome, AuthenticatedAccount? Account, DateTimeOffset? LockedUntil);

/// <summary>
/// Accounts and their API tokens: creating an account with its roles, issuing a token (shown once, stored as a
/// hash, with an expiry), revoking it, and checking a presented token. Every change is an audit entry.
/// </summary>
public sealed class AccountService(FuchunDbContext db, TimeProvider clock)
{
    private static readonly PasswordHasher<Account> Hasher = new();

    // Verified against when the user name is unknown, so that an unknown name takes as long as a wrong password.
    private static readonly Lazy<string> DecoyHash = new(() => Hasher.HashPassword(new Account("", "", [], null, default), SignInPolicy.GeneratePassword()));

    /// <summary>The longest a token may live.</summary>
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(365);

    /// <summary>
    /// Creates an account with <paramref name="roles"/> (the console's way: the operator is every administrator at
    /// once) or, with <paramref name="requireRole"/> false, with none (the system administrator's way: roles come from
    /// the security administrator). It gets a generated initial password that must be changed at first sign-in.
    /// </summary>
    public async Task<NewAccount> AddAsync(string userName, string displayName, IReadOnlyCollection<Role> roles, string? districtCode, bool requireRole = true, string? townshipCode = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var errors = new List<FieldError>();
        userName = userName?.Trim() ?? "";
        if (userName.Length is < 2 or > 64 || userName.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add(new("userName", Messages.AccountUserName()));
        }

        if (roles.Count == 0 && requireRole)
        {
            errors.Add(new("roles", Messages.AccountNoRole()));
        }

        errors.AddRange(RoleErrors(roles, districtCode, townshipCode));
        var districtRoles = IsDistricted(roles);
        if (errors.Count == 0 && await db.Accounts.AnyAsync(a => a.UserName == userName, cancellationToken))
        {
            errors.Add(new("userName", Messages.AccountTaken(userName)));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var account = new Account(userName, string.IsNullOrWhiteSpace(displayName) ? userName : displayName.Trim(), roles, districtRoles ? districtCode : null, clock.GetUtcNow());
        account.SetRoles(roles, districtRoles ? districtCode : null, districtRoles ? townshipCode : null);
        var password = SignInPolicy.GeneratePassword();
        account.SetPassword(Hasher.HashPassword(account, password), mustChange: true);
        db.Accounts.Add(account);
        db.Audit(new AuditEntry(clock.GetUtcNow(), db.AuditActor, db.AuditRole, db.AuditSource, "account.created", userName, null,
            JsonSerializer.Serialize(new { displayName = account.DisplayName, roles = account.Roles.Select(r => r.Name()), districtCode = account.DistrictCode })));
        await db.SaveChangesAsync(cancellationToken);
        return new NewAccount(account, password);
    }

    /// <summary>Issues a token for <paramref name="userName"/>; returns the token itself (shown once) and its record.</summary>
    public async Task<(string Token, ApiToken Record)> IssueTokenAsync(string userName, string name, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        if (lifetime <= TimeSpan.Zero || lifetime > MaxTokenLifetime)
        {
            throw new DomainValidationException([new FieldError("lifetime", Messages.TokenLifetime((int)MaxTokenLifetime.TotalDays))]);
        }

        var account = await db.Accounts.FirstOrDefaultAsync(a => a.UserName == userName, cancellationToken);
        if (account is null || account.DisabledAt is not null)
        {
            throw new DomainValidationException([new FieldError("userName", Messages.AccountNotFound(userName))]);
        }

        var token = ApiToken.NewToken();
        var now = clock.GetUtcNow();
        var record = new ApiToken(account.Id, string.IsNullOrWhiteSpace(name) ? "api" : name.Trim(), ApiToken.HashOf(token), now, now + lifetime);
        db.ApiTokens.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        db.Audit(new AuditEntry(now, db.AuditActor, db.AuditRole, db.AuditSource, "token.issued", userName, null,
            JsonSerializer.Serialize(new { tokenId = record.Id, name = record.Name, expiresAt = record.ExpiresAt })));
        await db.SaveChangesAsync(cancellationToken);
        return (token, record);
    }

    /// <summary>Revokes token <paramref name="tokenId"/>; from then on it authenticates nobody.</summary>
    public async Task RevokeTokenAsync(int tokenId, CancellationToken cancellationToken = default)
    {
        var record = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId, cancellationToken)
            ?? throw new DomainValidationException([new FieldError("tokenId", Messages.TokenNotFound(tokenId))]);
        record.Revoke(clock.GetUtcNow());
        db.Audit(new AuditEntry(clock.GetUtcNow(), db.AuditActor, db.AuditRole, db.AuditSource, "token.revoked", tokenId.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Gives <paramref name="userName"/> a new password chosen by someone else — a generated one when
    /// <paramref name="password"/> is null — which must be changed at the next sign-in. Returns the password, to be
    /// handed over once.
    /// </summary>
    public async Task<string> ResetPasswordAsync(string userName, string? password = null, CancellationToken cancellationToken = default)
    {
        var account = await FindOrThrowAsync(userName, cancellationToken);
        password ??= SignInPolicy.GeneratePassword();
        ThrowIfWeak(password, account.UserName, "password");
        account.SetPassword(Hasher.HashPassword(account, password), mustChange: true);
        db.Audit(new AuditEntry(clock.GetUtcNow(), db.AuditActor, db.AuditRole, db.AuditSource, "account.password_reset", account.UserName, null, null));
        await db.SaveChangesAsync(cancellationToken);
        return password;
    }

    /// <summary>The owner changes their password: the current one must be right, the new one meet the policy and differ.</summary>
    public async Task<AuthenticatedAccount> ChangePasswordAsync(string userName, string current, string next, CancellationToken cancellationToken = default)
    {
        var account = await FindOrThrowAsync(userName, cancellationToken);
        if (account.PasswordHash is null || Hasher.VerifyHashedPassword(account, account.PasswordHash, current ?? "") == PasswordVerificationResult.Failed)
        {
            throw new DomainValidationException([new FieldError("current", Messages.PasswordWrong())]);
        }

        if (next == current)
        {
            throw new DomainValidationException([new FieldError("password", Messages.PasswordSameAsOld())]);
        }

        ThrowIfWeak(next, account.UserName, "password");
        account.SetPassword(Hasher.HashPassword(account, next), mustChange: false);
        db.Audit(new AuditEntry(clock.GetUtcNow(), account.UserName, db.AuditRole, db.AuditSource, "account.password_changed", account.UserName, null, null));
        await db.SaveChangesAsync(cancellationToken);
        return Authenticated(account);
    }

    /// <summary>
    /// Checks a user name and password. Every attempt is an audit entry; the fifth failure in a row locks the account
    /// for 15 minutes, during which even the right password is refused.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        userName = userName?.Trim() ?? "";
        var now = clock.GetUtcNow();
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.UserName == userName, cancellationToken);
        SignInResult result;
        if (account is null || account.PasswordHash is null)
        {
            Hasher.VerifyHashedPassword(new Account("", "", [], null, default), DecoyHash.Value, password ?? "");
            result = new(SignInOutcome.WrongPassword, null, null);
        }
        else if (account.DisabledAt is not null)
        {
            result = new(SignInOutcome.Disabled, null, null);
        }
        else if (account.IsLockedAt(now))
        {
            result = new(SignInOutcome.LockedOut, null, account.LockedUntil);
        }
        else if (Hasher.VerifyHashedPassword(account, account.PasswordHash, password ?? "") == PasswordVerificationResult.Failed)
        {
            result = account.RecordFailedSignIn(now) ? new(SignInOutcome.LockedOut, null, account.LockedUntil) : new(SignInOutcome.WrongPassword, null, null);
        }
        else
        {
            account.RecordSignIn(now);
            result = new(SignInOutcome.SignedIn, Authenticated(account), null);
        }

        db.Audit(new AuditEntry(now, userName.Length == 0 ? "?" : userName, null, db.AuditSource,
            result.Outcome == SignInOutcome.SignedIn ? "signin.succeeded" : "signin.failed", userName, null,
            JsonSerializer.Serialize(new { outcome = result.Outcome.ToString(), lockedUntil = result.LockedUntil, knownAccount = account is not null })));
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Grants exactly <paramref name="roles"/> to <paramref name="userName"/> (the security administrator's act): the
    /// three administrators hold no other role, district roles need a district, and nobody changes their own roles.
    /// Sessions of the account end at their next request.
    /// </summary>
    public async Task<Account> GrantRolesAsync(string userName, IReadOnlyCollection<Role> roles, string? districtCode, string grantedBy, string? townshipCode = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var account = await FindOrThrowAsync(userName, cancellationToken);
        var errors = new List<FieldError>();
        if (account.UserName == grantedBy)
        {
            errors.Add(new("userName", Messages.RolesOwnAccount()));
        }

        errors.AddRange(RoleErrors(roles, districtCode, townshipCode));
        var districtRoles = IsDistricted(roles);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var before = JsonSerializer.Serialize(new { roles = account.Roles.Select(r => r.Name()), districtCode = account.DistrictCode, townshipCode = account.TownshipCode });
        account.SetRoles(roles, districtRoles ? districtCode : null, districtRoles ? townshipCode : null);
        db.Audit(new AuditEntry(clock.GetUtcNow(), db.AuditActor, db.AuditRole, db.AuditSource, "account.roles_granted", account.UserName, before,
            JsonSerializer.Serialize(new { roles = account.Roles.Select(r => r.Name()), districtCode = account.DistrictCode, townshipCode = account.TownshipCode })));
        await db.SaveChangesAsync(cancellationToken);
        return account;
    }

    private static bool IsDistricted(IReadOnlyCollection<Role> roles) => roles.Any(r => r is Role.DistrictOfficer or Role.TownshipOfficer or Role.FieldChief);

    /// <summary>
    /// What is wrong with granting <paramref name="roles"/>: administrators' roles held with others (三员分立), a
    /// district role without a district of the city, a township that the roles do not allow or need.
    /// </summary>
    private static IEnumerable<FieldError> RoleErrors(IReadOnlyCollection<Role> roles, string? districtCode, string? townshipCode)
    {
        if (Capabilities.Incompatible(roles) is { Count: > 0 } clash)
        {
            yield return new("roles", Messages.RolesIncompatible(string.Join("、", clash.Select(Projects.ProjectRegistry.RoleName))));
        }

        if (IsDistricted(roles) && (districtCode is null || HangzhouReferenceData.FindDistrict(districtCode) is null))
        {
            yield return new("districtCode", Messages.AccountNeedsDistrict(districtCode ?? ""));
        }

        foreach (var error in TownshipErrors(roles, districtCode, townshipCode))
        {
            yield return error;
        }
    }

    /// <summary>A township officer needs a township of their district; a field chief may have one; nobody else has one.</summary>
    private static IEnumerable<FieldError> TownshipErrors(IReadOnlyCollection<Role> roles, string? districtCode, string? townshipCode)
    {
        var township = townshipCode is null ? null : HangzhouReferenceData.Townships.FirstOrDefault(t => t.Code == townshipCode);
        if (roles.Contains(Role.TownshipOfficer) && township is null)
        {
            yield return new("townshipCode", Messages.AccountNeedsTownship(townshipCode ?? ""));
        }
        else if (townshipCode is not null && (township is null || township.DistrictCode != districtCode || !roles.Any(r => r is Role.TownshipOfficer or Role.FieldChief)))
        {
            yield return new("townshipCode", Messages.AccountTownshipOutside(townshipCode, districtCode ?? ""));
        }
    }

    /// <summary>Signs <paramref name="userName"/> out: every session of the account ends (a new security stamp).</summary>
    public async Task SignOutAsync(string userName, CancellationToken cancellationToken = default)
    {
        var account = await FindOrThrowAsync(userName, cancellationToken);
        account.EndSessions();
        db.Audit(new AuditEntry(clock.GetUtcNow(), account.UserName, db.AuditRole, db.AuditSource, "signout", account.UserName, null, null));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Disables <paramref name="userName"/>: its sessions and tokens stop working at once.</summary>
    public async Task DisableAsync(string userName, CancellationToken cancellationToken = default)
    {
        var account = await FindOrThrowAsync(userName, cancellationToken);
        account.Disable(clock.GetUtcNow());
        db.Audit(new AuditEntry(clock.GetUtcNow(), db.AuditActor, db.AuditRole, db.AuditSource, "account.disabled", account.UserName, null, null));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The account behind a signed-in session, or null when the session no longer stands: the account is gone,
    /// disabled, or changed since (its security stamp differs).
    /// </summary>
    public async Task<AuthenticatedAccount?> SessionAsync(string userName, string securityStamp, CancellationToken cancellationToken = default)
    {
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserName == userName, cancellationToken);
        return account is null || account.DisabledAt is not null || account.SecurityStamp != securityStamp ? null : Authenticated(account);
    }

    private static AuthenticatedAccount Authenticated(Account a) =>
        new(a.UserName, a.DisplayName, a.Roles, a.DistrictCode, a.MustChangePassword, a.SecurityStamp, a.TownshipCode);

    private static void ThrowIfWeak(string password, string userName, string field)
    {
        if (SignInPolicy.PasswordProblems(password, userName) is { Count: > 0 } problems)
        {
            throw new DomainValidationException([.. problems.Select(p => new FieldError(field, p))]);
        }
    }

    private async Task<Account> FindOrThrowAsync(string userName, CancellationToken cancellationToken) =>
        await db.Accounts.FirstOrDefaultAsync(a => a.UserName == userName, cancellationToken)
            ?? throw new DomainValidationException([new FieldError("userName", Messages.AccountNotFound(userName))]);

    /// <summary>The account a presented token stands for, or null when it is unknown, expired, revoked or its account disabled.</summary>
    public async Task<AuthenticatedAccount?> AuthenticateAsync(string token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || !token.StartsWith(ApiToken.Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = ApiToken.HashOf(token);
        var found = await db.ApiTokens.AsNoTracking().Where(t => t.TokenHash == hash)
            .Join(db.Accounts.AsNoTracking(), t => t.AccountId, a => a.Id, (t, a) => new { Token = t, Account = a })
            .FirstOrDefaultAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return found is null || !found.Token.IsValidAt(now) || found.Account.DisabledAt is not null
            ? null
            : Authenticated(found.Account) with { MustChangePassword = false };
    }
}
