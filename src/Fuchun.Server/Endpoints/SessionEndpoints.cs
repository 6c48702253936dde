using System.Globalization;
using Fuchun.Domain.Governance;
using Fuchun.Domain.Resources;
using Fuchun.Server.Security;
using Fuchun.Storage.Governance;
using Fuchun.Storage.Projects;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Fuchun.Server.Endpoints;

/// <summary>Who is signed in, what they may do, and the anti-forgery token their browser sends with each change.</summary>
public sealed record SessionResponse(
    bool SignedIn, string? UserName, string? DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<string> RoleNames,
    string? DistrictCode, bool MustChangePassword, IReadOnlyList<string> Capabilities, string CsrfToken);

/// <summary>A sign-in: user name and password.</summary>
public sealed record SignInRequest(string UserName, string Password);

/// <summary>A password change by the account's owner.</summary>
public sealed record PasswordChangeRequest(string Current, string Password);

/// <summary>
/// Signing in and out of the web UI (<c>/api/session</c>): a password sign-in starts a cookie session; the session
/// tells the page who it is and gives it its anti-forgery token; a first sign-in must change the password.
/// </summary>
internal static class SessionEndpoints
{
    public static void MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/session").WithTags("登录");
        group.MapGet("/", Current).AllowAnonymous().WithName("GetSession").WithSummary("当前登录状态、角色、权限和防伪令牌");
        group.MapPost("/", SignInAsync).AllowAnonymous().RequireRateLimiting(WebSecurity.SignInRateLimit).WithName("SignIn")
            .WithSummary("以用户名和密码登录（连续失败 5 次锁定 15 分钟；每个地址每分钟至多 10 次）")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapDelete("/", SignOutAsync).WithName("SignOut").WithSummary("退出登录");
        app.MapGet("/api/inbox", InboxAsync).WithTags("登录").WithName("GetInbox")
            .WithSummary("待办：轮到当前账号办理的项目阶段和规划报批、审批");
        group.MapPost("/password", ChangePasswordAsync).WithName("ChangePassword").WithSummary("修改本人密码（至少 8 位，含四类字符中的三类）")
            .ProducesValidationProblem();
    }

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<SessionResponse> Current(HttpContext http, IAntiforgery antiforgery) => TypedResults.Ok(Session(http, antiforgery));

    internal static SessionResponse Session(HttpContext http, IAntiforgery antiforgery)
    {
        var user = http.User;
        var signedIn = user.Identity?.IsAuthenticated == true;
        var roles = signedIn ? user.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => Roles.FromName(c.Value)).OfType<Role>().ToList() : [];
        var csrf = antiforgery.GetAndStoreTokens(http).RequestToken ?? "";
        return new SessionResponse(signedIn, signedIn ? user.Identity!.Name : null, user.FindFirst("fuchun:display_name")?.Value,
            [.. roles.Select(r => r.Name())], [.. roles.Select(ProjectRegistry.RoleName)], DistrictIsolation.DistrictOf(http),
            user.HasClaim(WebSecurity.MustChangeClaim, "true"),
            [.. Enum.GetValues<Capability>().Where(c => Capabilities.Allows(roles, c)).Select(c => c.ToString())], csrf);
    }

    private static async Task<IResult> SignInAsync(SignInRequest request, HttpContext http, AccountService accounts, IAntiforgery antiforgery, CancellationToken ct)
    {
        var result = await accounts.SignInAsync(request.UserName ?? "", request.Password ?? "", ct);
        if (result.Outcome != SignInOutcome.SignedIn)
        {
            var title = result.Outcome switch
            {
                SignInOutcome.LockedOut => Messages.SignInLocked(result.LockedUntil!.Value.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
                SignInOutcome.Disabled => Messages.SignInDisabled(),
                _ => Messages.SignInFailed(),
            };
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: title);
        }

        await StartSessionAsync(http, result.Account!);
        return TypedResults.Ok(Session(http, antiforgery));
    }

    private static async Task<IResult> InboxAsync(HttpContext http, Storage.Workflow.Inbox inbox, CancellationToken ct)
    {
        var actor = Actor.Acting(http);
        return TypedResults.Ok(await inbox.ForAsync(actor.Roles, actor.DistrictCode, ct));
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, AccountService accounts, CancellationToken ct)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        // Deleting the cookie is not enough: a request still under way may bring back a renewed one. The account's
        // sessions end on the server, so no cookie issued before this moment is good any more.
        await accounts.SignOutAsync(http.User.Identity!.Name!, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ChangePasswordAsync(PasswordChangeRequest request, HttpContext http, AccountService accounts, IAntiforgery antiforgery, CancellationToken ct)
    {
        var account = await accounts.ChangePasswordAsync(http.User.Identity!.Name!, request.Current ?? "", request.Password ?? "", ct);
        if (http.User.Identity.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme)
        {
            // The change ended every session of the account (a new security stamp); this one goes on with the new one.
            await StartSessionAsync(http, account);
        }

        return TypedResults.Ok(Session(http, antiforgery));
    }

    private static async Task StartSessionAsync(HttpContext http, AuthenticatedAccount account)
    {
        var principal = WebSecurity.Principal(account, CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        // The anti-forgery token is bound to the user: the page gets the signed-in one with this response.
        http.User = principal;
    }
}
