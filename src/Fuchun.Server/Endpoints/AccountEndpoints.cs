using Fuchun.Domain.Governance;
using Fuchun.Domain.Projects;
using Fuchun.Storage;
using Fuchun.Storage.Governance;
using Fuchun.Storage.Projects;
using Microsoft.EntityFrameworkCore;

namespace Fuchun.Server.Endpoints;

/// <summary>An account as administrators see it (never its password or tokens).</summary>
public sealed record AccountResponse(
    string UserName, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<string> RoleNames, string? DistrictCode,
    DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt, bool Locked, bool MustChangePassword, DateTimeOffset? DisabledAt);

/// <summary>A new account: name and display name; it gets no role until the security administrator grants one.</summary>
public sealed record NewAccountRequest(string UserName, string DisplayName);

/// <summary>The initial or reset password of an account, shown once to the administrator who hands it over.</summary>
public sealed record InitialPasswordResponse(string UserName, string Password);

/// <summary>The roles to grant (names such as <c>district_officer</c>) and the district they need.</summary>
public sealed record RolesRequest(IReadOnlyList<string> Roles, string? DistrictCode, string? TownshipCode = null);

/// <summary>
/// Accounts under 三员分立 (<c>/api/accounts</c>): the system administrator creates and disables accounts and resets
/// passwords but grants no role; the security administrator grants roles; both can see the list.
/// </summary>
internal static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/accounts").WithTags("账号管理");
        group.MapGet("/", ListAsync).WithName("ListAccounts").WithSummary("账号列表（系统管理员、安全管理员）")
            .RequireAuthorization(p => p.RequireRole(Role.SystemAdministrator.Name(), Role.SecurityAdministrator.Name()));
        group.MapPost("/", CreateAsync).WithName("CreateAccount").WithSummary("新建账号（系统管理员；不含角色，初始密码只显示一次，首次登录须修改）")
            .RequireAuthorization(Capability.ManageAccounts.PolicyName()).ProducesValidationProblem();
        group.MapPost("/{userName}/password", ResetPasswordAsync).WithName("ResetPassword").WithSummary("重置密码（系统管理员；新密码只显示一次）")
            .RequireAuthorization(Capability.ManageAccounts.PolicyName()).ProducesValidationProblem();
        group.MapPost("/{userName}/disable", DisableAsync).WithName("DisableAccount").WithSummary("停用账号（系统管理员；其会话和令牌立即失效）")
            .RequireAuthorization(Capability.ManageAccounts.PolicyName()).ProducesValidationProblem();
        group.MapPut("/{userName}/roles", GrantAsync).WithName("GrantRoles").WithSummary("授予角色（安全管理员；三员不兼任，不能改自己的角色）")
            .RequireAuthorization(Capability.GrantRoles.PolicyName()).ProducesValidationProblem();
    }

    private static AccountResponse Response(Account a, DateTimeOffset now) => new(
        a.UserName, a.DisplayName, [.. a.Roles.Select(r => r.Name())], [.. a.Roles.Select(ProjectRegistry.RoleName)], a.DistrictCode,
        a.CreatedAt, a.LastSignInAt, a.IsLockedAt(now), a.MustChangePassword, a.DisabledAt);

    private static async Task<IResult> ListAsync(FuchunDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return TypedResults.Ok((await db.Accounts.AsNoTracking().OrderBy(a => a.UserName).ToListAsync(ct)).Select(a => Response(a, now)).ToList());
    }

    private static async Task<IResult> CreateAsync(NewAccountRequest request, AccountService accounts, CancellationToken ct)
    {
        var created = await accounts.AddAsync(request.UserName ?? "", request.DisplayName ?? "", [], null, requireRole: false, cancellationToken: ct);
        return TypedResults.Ok(new InitialPasswordResponse(created.Account.UserName, created.InitialPassword));
    }

    private static async Task<IResult> ResetPasswordAsync(string userName, AccountService accounts, CancellationToken ct) =>
        TypedResults.Ok(new InitialPasswordResponse(userName, await accounts.ResetPasswordAsync(userName, null, ct)));

    private static async Task<IResult> DisableAsync(string userName, AccountService accounts, CancellationToken ct)
    {
        await accounts.DisableAsync(userName, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> GrantAsync(string userName, RolesRequest request, HttpContext http, AccountService accounts, TimeProvider clock, CancellationToken ct)
    {
        var roles = (request.Roles ?? []).Select(n => (Name: n, Role: Roles.FromName(n))).ToList();
        if (roles.FirstOrDefault(r => r.Role is null) is { Name: { } unknown })
        {
            throw new DomainValidationException([new FieldError("roles", Domain.Resources.Messages.UnknownRole(unknown))]);
        }

        var account = await accounts.GrantRolesAsync(userName, [.. roles.Select(r => r.Role!.Value)], request.DistrictCode, http.User.Identity!.Name!, request.TownshipCode, ct);
        return TypedResults.Ok(Response(account, clock.GetUtcNow()));
    }
}
