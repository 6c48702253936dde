using System.Security.Claims;
using System.Threading.RateLimiting;
using Fuchun.Domain.Governance;
using Fuchun.Domain.Resources;
using Fuchun.Storage.Governance;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;

namespace Fuchun.Server.Security;

/// <summary>
/// How the platform knows who is asking and what they may do (the governance issue): a browser signs in with a
/// password and carries a session cookie (HttpOnly, SameSite=Strict, ending after an idle time, 30 minutes unless
/// <c>Fuchun:Security:IdleTimeout</c> says otherwise) and, for every change, an anti-forgery token in a header;
/// scripts and the CLI present a bearer token instead. Nothing is served to anonymous requests but the sign-in page,
/// its assets and the API description; every endpoint demands a capability (<see cref="Capabilities"/>).
/// </summary>
internal static class WebSecurity
{
    public const string Scheme = "Fuchun";
    public const string CookieName = "fuchun.session";
    public const string CsrfHeader = "X-CSRF-Token";
    public const string SignInRateLimit = "signin";
    public const string StampClaim = "fuchun:stamp";
    public const string MustChangeClaim = "fuchun:must_change_password";

    public static void AddFuchunSecurity(this WebApplicationBuilder builder)
    {
        var idle = TimeSpan.TryParse(builder.Configuration["Fuchun:Security:IdleTimeout"], System.Globalization.CultureInfo.InvariantCulture, out var configured) && configured > TimeSpan.Zero
            ? configured
            : TimeSpan.FromMinutes(30);
        builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, Scheme, o =>
            {
                o.ForwardDefaultSelector = http =>
                    http.Request.Headers.Authorization.Count > 0 ? TokenAuthenticationHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme;
                // Refusals are answered one way (problem details for the API, the sign-in page for pages).
                o.ForwardChallenge = CookieAuthenticationDefaults.AuthenticationScheme;
                o.ForwardForbid = CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null)
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = idle;
                o.SlidingExpiration = true;
                o.LoginPath = "/signin";
                o.ReturnUrlParameter = "return";
                o.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = ValidateSessionAsync,
                    OnRedirectToLogin = c =>
                    {
                        if (!IsApi(c.Request))
                        {
                            return Redirect(c);
                        }

                        c.Response.Headers.WWWAuthenticate = TokenAuthenticationHandler.SchemeName;
                        return Problem(c.HttpContext, StatusCodes.Status401Unauthorized, Messages.SignInNeeded());
                    },
                    OnRedirectToAccessDenied = c => Problem(c.HttpContext, StatusCodes.Status403Forbidden, Messages.Forbidden()),
                };
            });

        builder.Services.AddAuthorization(o =>
        {
            // Everything needs a signed-in account unless it says otherwise (AllowAnonymous): a new endpoint is closed
            // until someone decides who may use it.
            o.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().Build();
            foreach (var capability in Enum.GetValues<Capability>())
            {
                o.AddPolicy(capability.PolicyName(), p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser()
                    .RequireRole(Capabilities.RolesWith(capability).Select(r => r.Name())));
            }
        });

        builder.Services.AddAntiforgery(o =>
        {
            o.HeaderName = CsrfHeader;
            o.Cookie.Name = "fuchun.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        // Per client address, 30 sign-in attempts a minute unless Fuchun:Security:SignInsPerMinute says otherwise (a
        // bureau behind one NAT address signs in together in the morning); each account also locks after 5 failures.
        var signInsPerMinute = int.TryParse(builder.Configuration["Fuchun:Security:SignInsPerMinute"], out var limit) && limit > 0 ? limit : 30;
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (c, _) =>
            {
                c.HttpContext.Response.Headers.RetryAfter = "60";
                return new ValueTask(Problem(c.HttpContext, StatusCodes.Status429TooManyRequests, Messages.TooManySignIns()));
            };
            o.AddPolicy(SignInRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "?",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = signInsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

        // Behind the city's reverse proxy the client's address and scheme come in forwarded headers (trusted from
        // loopback proxies only, the default).
        builder.Services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.ExcludedHosts.Clear();
        });
    }

    /// <summary>The claims a signed-in account carries, whether it came with a cookie or a token.</summary>
    public static ClaimsPrincipal Principal(AuthenticatedAccount account, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, account.UserName),
            new("fuchun:display_name", account.DisplayName),
            new(StampClaim, account.SecurityStamp),
        };
        claims.AddRange(account.Roles.Select(r => new Claim(ClaimTypes.Role, r.Name())));
        if (account.DistrictCode is { } district)
        {
            claims.Add(new(TokenAuthenticationHandler.DistrictClaim, district));
        }

        if (account.TownshipCode is { } township)
        {
            claims.Add(new(DistrictIsolation.TownshipClaim, township));
        }

        if (account.MustChangePassword)
        {
            claims.Add(new(MustChangeClaim, "true"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>
    /// Every request of a session: the account must still exist, be enabled and unchanged (roles, password) since the
    /// session began — otherwise the session ends. Each request renews the idle time.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var stamp = context.Principal?.FindFirst(StampClaim)?.Value;
        var accounts = context.HttpContext.RequestServices.GetRequiredService<AccountService>();
        if (name is null || stamp is null || await accounts.SessionAsync(name, stamp, context.HttpContext.RequestAborted) is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        context.ShouldRenew = true;
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/tiles");

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    public static Task Problem(HttpContext http, int status, string title)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new ProblemDetails { Status = status, Title = title }, options: null, contentType: "application/problem+json");
    }

    /// <summary>
    /// A browser's change must carry the anti-forgery token it was given with its session (header
    /// <see cref="CsrfHeader"/>): another site's page can make the browser send the cookie, never the token. Requests
    /// with a bearer token carry no ambient credential and need none.
    /// </summary>
    public static async Task RefuseForgedRequests(HttpContext context, Func<Task> next)
    {
        var method = context.Request.Method;
        var safe = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);
        if (!safe && context.Request.Headers.Authorization.Count == 0 && IsApi(context.Request))
        {
            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                await Problem(context, StatusCodes.Status403Forbidden, Messages.CsrfRefused());
                return;
            }
        }

        await next();
    }

    /// <summary>
    /// A session whose password was set by someone else can do one thing: change it (and sign out, and read who it
    /// is). Everything else answers 403 until it has.
    /// </summary>
    public static async Task RequirePasswordChange(HttpContext context, Func<Task> next)
    {
        if (context.User.HasClaim(MustChangeClaim, "true") && IsApi(context.Request) && !context.Request.Path.StartsWithSegments("/api/session"))
        {
            await Problem(context, StatusCodes.Status403Forbidden, Messages.PasswordChangeFirst());
            return;
        }

        await next();
    }
}
