using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fuchun.Domain.Governance;

namespace Fuchun.Server.Tests;

/// <summary>A platform without the demo whose sessions end after 6 idle seconds.</summary>
public sealed class IdleServer() : RunningServer(postgres: false, demo: false, new Dictionary<string, string>
{
    ["Fuchun:Security:IdleTimeout"] = "00:00:06",
});

/// <summary>A platform without the demo that takes 5 sign-ins a minute per address.</summary>
public sealed class RateLimitedServer() : RunningServer(postgres: false, demo: false, new Dictionary<string, string>
{
    ["Fuchun:Security:SignInsPerMinute"] = "5",
});

/// <summary>
/// Signing in as a browser does (cookie session, anti-forgery token), over real HTTP: nothing without an account,
/// the handed-over password changed first, sessions that end when idle, sign-in attempts limited per address.
/// </summary>
public sealed class SignInTests(DemoServer server, IdleServer idle) : IClassFixture<IdleServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A browser-like client: keeps cookies, sends the anti-forgery token it was given with every change.</summary>
    public sealed class BrowserClient : IDisposable
    {
        private readonly HttpClient http;

        public BrowserClient(Uri address)
        {
            http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = address };
        }

        public CookieContainer Cookies { get; } = new();

        public string Csrf { get; private set; } = "";

        public HttpClient Http => http;

        public async Task<JsonElement> SessionAsync()
        {
            var session = await http.GetFromJsonAsync<JsonElement>("/api/session", Ct);
            Csrf = session.GetProperty("csrfToken").GetString()!;
            return session;
        }

        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, bool withToken = true)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            if (withToken)
            {
                request.Headers.Add("X-CSRF-Token", Csrf);
            }

            var response = await http.SendAsync(request, Ct);
            if (response.IsSuccessStatusCode && path.StartsWith("/api/session", StringComparison.Ordinal) && method != HttpMethod.Delete)
            {
                Csrf = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("csrfToken").GetString()!;
            }

            return response;
        }

        public Task<HttpResponseMessage> SignInAsync(string user, string password) =>
            SendAsync(HttpMethod.Post, "/api/session", new { userName = user, password });

        public void Dispose() => http.Dispose();
    }

    [Fact]
    public async Task WithoutAnAccount_NothingButTheSignInPageAndTheApiDescription()
    {
        using var anonymous = new BrowserClient(server.BaseAddress);
        foreach (var path in new[] { "/api/projects", "/api/districts", "/api/stages", "/api/projects/330111-2023-001", "/api/audit", "/api/accounts", "/tiles/1/14/13680/6711.mvt" })
        {
            using var refused = await anonymous.Http.GetAsync(path, Ct);
            Assert.True(HttpStatusCode.Unauthorized == refused.StatusCode, path);
            Assert.Contains("需要登录", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString(), StringComparison.Ordinal);
        }

        using var page = await anonymous.Http.GetAsync("/projects/330111-2023-001?tab=map", Ct);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/signin?return=%2Fprojects%2F330111-2023-001%3Ftab%3Dmap", page.Headers.Location!.PathAndQuery);
        // The pages' HTML is not a static file that bypasses sign-in.
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.Http.GetAsync("/index.html", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Http.GetAsync("/signin", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Http.GetAsync("/signin.js", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Http.GetAsync("/openapi/v1.json", Ct)).StatusCode);
        Assert.False((await anonymous.SessionAsync()).GetProperty("signedIn").GetBoolean());
    }

    [Fact]
    public async Task ABrowserSession_NeedsTheAntiForgeryToken_AndAFirstPasswordChange()
    {
        var account = await server.AccountAsync("signin.city", [Role.CityBureau]);
        string initial;
        using (var reset = server.ClientWith((await server.AccountAsync("signin.sysadmin", [Role.SystemAdministrator])).Token))
        {
            initial = (await (await reset.PostAsync($"/api/accounts/{account.UserName}/password", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("password").GetString()!;
        }

        using var browser = new BrowserClient(server.BaseAddress);
        await browser.SessionAsync();
        // Without the token that came with the page, a sign-in (like any change) is a forgery.
        using (var forged = await browser.SendAsync(HttpMethod.Post, "/api/session", new { userName = account.UserName, password = initial }, withToken: false))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
            Assert.Contains("防伪令牌", (await forged.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString(), StringComparison.Ordinal);
        }

        using (var wrong = await browser.SignInAsync(account.UserName, initial + "x"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal("用户名或密码不正确。", (await wrong.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString());
        }

        using (var signedIn = await browser.SignInAsync(account.UserName, initial))
        {
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            var cookie = string.Join(";", signedIn.Headers.GetValues("Set-Cookie"));
            Assert.Contains("fuchun.session=", cookie, StringComparison.Ordinal);
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        }

        // A handed-over password: nothing but the change until it is changed.
        using (var first = await browser.Http.GetAsync("/api/projects", Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, first.StatusCode);
            Assert.Contains("修改初始密码", (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString(), StringComparison.Ordinal);
        }

        using (var weak = await browser.SendAsync(HttpMethod.Post, "/api/session/password", new { current = initial, password = "passwd" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
            Assert.Equal(2, (await weak.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("password").GetArrayLength());
        }

        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(HttpMethod.Post, "/api/session/password", new { current = initial, password = "Hangzhou-2027" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/api/projects?pageSize=1", Ct)).StatusCode);
        // A change needs the token of the signed-in session; a bare cookie is not enough.
        using (var bare = await browser.SendAsync(HttpMethod.Post, "/api/projects/330111-2023-001/stage", new { target = "Approval" }, withToken: false))
        {
            Assert.Equal(HttpStatusCode.Forbidden, bare.StatusCode);
        }

        var sessionCookie = browser.Cookies.GetCookieHeader(server.BaseAddress);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(HttpMethod.Delete, "/api/session")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync("/api/projects", Ct)).StatusCode);
        // The session ended on the server: its cookie, kept or brought back by a late answer, opens nothing.
        using var replay = new HttpRequestMessage(HttpMethod.Get, "/api/projects");
        replay.Headers.Add("Cookie", sessionCookie);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Anonymous.SendAsync(replay, Ct)).StatusCode);
    }

    [Fact]
    public async Task ASession_EndsWhenIdle_AndWhenThePasswordChangesElsewhere()
    {
        var strict = idle;
        var account = await strict.AccountAsync("idle.city", [Role.CityBureau]);
        using var browser = new BrowserClient(strict.BaseAddress);
        await browser.SessionAsync();
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInAsync(account.UserName, account.Password)).StatusCode);

        // Activity keeps it alive past the idle time (a request every 2 s for 8 s; slack for a busy machine) ...
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(2), Ct);
            Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/api/districts", Ct)).StatusCode);
        }

        // ... idleness ends it.
        await Task.Delay(TimeSpan.FromSeconds(7), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync("/api/districts", Ct)).StatusCode);

        // Two sessions; the password changed in one ends the other.
        using var other = new BrowserClient(strict.BaseAddress);
        await other.SessionAsync();
        await browser.SessionAsync();
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInAsync(account.UserName, account.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.SignInAsync(account.UserName, account.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(HttpMethod.Post, "/api/session/password", new { current = account.Password, password = "Another-2027" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/api/districts", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.Http.GetAsync("/api/districts", Ct)).StatusCode);
    }
}

/// <summary>Sign-in attempts are limited per client address, on a platform of their own (the limit is per minute).</summary>
public sealed class SignInRateLimitTests(RateLimitedServer strict) : IClassFixture<RateLimitedServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignInAttempts_AreLimitedPerAddress()
    {
        using var browser = new SignInTests.BrowserClient(strict.BaseAddress);
        await browser.SessionAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            using var response = await browser.SignInAsync("rate.nobody", "Wrong-pass-" + i);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Contains("过于频繁", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString(), StringComparison.Ordinal);
                Assert.Equal("60", response.Headers.RetryAfter!.ToString());
            }
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}
