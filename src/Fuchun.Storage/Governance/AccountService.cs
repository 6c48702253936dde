using System.Text.Json;
using Fuchun.Domain.Governance;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Reference;
using Fuchun.Domain.Resources;
using Microsoft.EntityFrameworkCore;

namespace Fuchun.Storage.Governance;

/// <summary>An account and what it may act as, after its token was checked.</summary>
public sealed record AuthenticatedAccount(string UserName, string DisplayName, IReadOnlyList<Role> Roles, string? DistrictCode);

/// <summary>
/// Accounts and their API tokens: creating an account with its roles, issuing a token (shown once, stored as a
/// hash, with an expiry), revoking it, and checking a presented token. Every change is an audit entry.
/// </summary>
public sealed class AccountService(FuchunDbContext db, TimeProvider clock)
{
    /// <summary>The longest a token may live.</summary>
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(365);

    public async Task<Account> AddAsync(string userName, string displayName, IReadOnlyCollection<Role> roles, string? districtCode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var errors = new List<FieldError>();
        userName = userName?.Trim() ?? "";
        if (userName.Length is < 2 or > 64 || userName.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add(new("userName", Messages.AccountUserName()));
        }

        if (roles.Count == 0)
        {
            errors.Add(new("roles", Messages.AccountNoRole()));
        }

        var districtRoles = roles.Any(r => r is Role.DistrictOfficer or Role.TownshipOfficer or Role.FieldChief);
        if (districtRoles && (districtCode is null || HangzhouReferenceData.FindDistrict(districtCode) is null))
        {
            errors.Add(new("districtCode", Messages.AccountNeedsDistrict(districtCode ?? "")));
        }

        if (errors.Count == 0 && await db.Accounts.AnyAsync(a => a.UserName == userName, cancellationToken))
        {
            errors.Add(new("userName", Messages.AccountTaken(userName)));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var account = new Account(userName, string.IsNullOrWhiteSpace(displayName) ? userName : displayName.Trim(), roles, districtRoles ? districtCode : null, clock.GetUtcNow());
        db.Accounts.Add(account);
        db.Audit(new AuditEntry(clock.GetUtcNow(), db.AuditActor, null, db.AuditSource, "account.created", userName, null,
            JsonSerializer.Serialize(new { displayName = account.DisplayName, roles = account.Roles.Select(r => r.Name()), districtCode = account.DistrictCode })));
        await db.SaveChangesAsync(cancellationToken);
        return account;
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
        db.Audit(new AuditEntry(now, db.AuditActor, null, db.AuditSource, "token.issued", userName, null,
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
        db.Audit(new AuditEntry(clock.GetUtcNow(), db.AuditActor, null, db.AuditSource, "token.revoked", tokenId.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null));
        await db.SaveChangesAsync(cancellationToken);
    }

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
            : new AuthenticatedAccount(found.Account.UserName, found.Account.DisplayName, found.Account.Roles, found.Account.DistrictCode);
    }
}
