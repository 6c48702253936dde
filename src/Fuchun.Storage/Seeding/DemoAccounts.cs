using Fuchun.Domain.Governance;
using Fuchun.Storage.Governance;

namespace Fuchun.Storage.Seeding;

/// <summary>A demo account and its freshly issued token, to be shown once.</summary>
public sealed record DemoCredential(string UserName, string DisplayName, IReadOnlyList<Role> Roles, string? DistrictCode, string Password, string Token);

/// <summary>
/// The demo's accounts: one per kind of user a reviewer wants to try (city bureau, a Fuyang district officer, an
/// auditor, and the three administrators), each with a password and a token generated at first start — there is no
/// fixed credential anywhere; whoever started the platform sees them once, and the password must be changed at the
/// first sign-in like any handed-over password.
/// </summary>
public sealed class DemoAccounts(AccountService accounts)
{
    private static readonly (string User, string Name, Role Role, string? District)[] People =
    [
        ("demo.city", "演示·市局耕保处", Role.CityBureau, null),
        ("demo.fuyang", "演示·富阳区经办人", Role.DistrictOfficer, "330111"),
        ("demo.auditor", "演示·审计人员", Role.Auditor, null),
        ("demo.auditadmin", "演示·审计管理员", Role.AuditAdministrator, null),
        ("demo.sysadmin", "演示·系统管理员", Role.SystemAdministrator, null),
        ("demo.secadmin", "演示·安全管理员", Role.SecurityAdministrator, null),
    ];

    /// <summary>Creates the accounts with generated passwords and issues each a 30-day token; returns them for printing.</summary>
    public async Task<IReadOnlyList<DemoCredential>> CreateAsync(CancellationToken cancellationToken = default)
    {
        var created = new List<DemoCredential>();
        foreach (var (user, name, role, district) in People)
        {
            var account = await accounts.AddAsync(user, name, [role], district, cancellationToken: cancellationToken);
            var (token, _) = await accounts.IssueTokenAsync(user, "演示", TimeSpan.FromDays(30), cancellationToken);
            created.Add(new(user, name, [role], district, account.InitialPassword, token));
        }

        return created;
    }
}
