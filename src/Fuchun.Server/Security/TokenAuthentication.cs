using System.Text.Encodings.Web;
using Fuchun.Domain.Resources;
using Fuchun.Storage.Governance;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Fuchun.Server.Security;

/// <summary>
/// Bearer tokens of accounts (<c>Authorization: Bearer fct_…</c>): the token's hash is looked up, and an unexpired,
/// unrevoked token of an enabled account signs its account in with the account's roles as role claims and its
/// district as a claim. A request without a token stays anonymous; a request with a bad token is refused (401).
/// </summary>
internal sealed class TokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccountService accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    /// <summary>The claim carrying a district user's 6-digit district.</summary>
    public const string DistrictClaim = "fuchun:district";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var account = await accounts.AuthenticateAsync(header[(SchemeName.Length + 1)..].Trim(), Context.RequestAborted);
        if (account is null)
        {
            return AuthenticateResult.Fail(Messages.TokenInvalid());
        }

        return AuthenticateResult.Success(new AuthenticationTicket(WebSecurity.Principal(account, SchemeName), SchemeName));
    }

    /// <summary>Refuses a request that presented a token which did not authenticate, before it reaches an endpoint.</summary>
    public static async Task RefuseBadTokens(HttpContext context, Func<Task> next)
    {
        if (context.Request.Headers.Authorization.Count > 0 && context.User.Identity?.IsAuthenticated != true)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = SchemeName;
            await context.Response.WriteAsJsonAsync(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = Messages.TokenInvalid(),
            }, options: null, contentType: "application/problem+json");
            return;
        }

        await next();
    }
}
