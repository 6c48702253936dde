using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Fuchun.Server.Tests;

/// <summary>
/// The hardening points of the governance issue, over real HTTP: security headers, HSTS behind an HTTPS proxy,
/// no internals in error answers, request size limits, and input that looks like SQL staying data.
/// </summary>
public sealed class HardeningTests(DemoServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryAnswer_CarriesTheSecurityHeaders_AndHstsOnlyOverHttps()
    {
        foreach (var path in new[] { "/", "/signin", "/api/projects?pageSize=1", "/list.js" })
        {
            using var response = await server.Client.GetAsync(path, Ct);
            var headers = response.Headers;
            Assert.True(headers.TryGetValues("Content-Security-Policy", out var csp), path);
            Assert.Contains("frame-ancestors 'none'", csp!.Single(), StringComparison.Ordinal);
            Assert.Contains("default-src 'self'", csp!.Single(), StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-eval", csp!.Single(), StringComparison.Ordinal);
            Assert.Equal("DENY", headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("nosniff", headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("same-origin", headers.GetValues("Referrer-Policy").Single());
            // Plain HTTP (a developer's machine): no HSTS, which would pin the browser to HTTPS.
            Assert.False(headers.Contains("Strict-Transport-Security"), path);
        }

        // Behind the city's HTTPS proxy (on this machine): HSTS, and the session cookie only goes over HTTPS.
        using var https = new HttpRequestMessage(HttpMethod.Get, "/signin");
        https.Headers.Add("X-Forwarded-Proto", "https");
        using var proxied = await server.Anonymous.SendAsync(https, Ct);
        Assert.Contains("max-age=31536000", proxied.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);

        var account = await server.AccountAsync("hardening.city", [Domain.Governance.Role.CityBureau]);
        using var browser = new SignInTests.BrowserClient(server.BaseAddress);
        using (var session = new HttpRequestMessage(HttpMethod.Get, "/api/session"))
        {
            session.Headers.Add("X-Forwarded-Proto", "https");
            await browser.Http.SendAsync(session, Ct);
        }

        await browser.SessionAsync();
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/api/session") { Content = JsonContent.Create(new { userName = account.UserName, password = account.Password }) };
        signIn.Headers.Add("X-Forwarded-Proto", "https");
        signIn.Headers.Add("X-CSRF-Token", browser.Csrf);
        using var signedIn = await browser.Http.SendAsync(signIn, Ct);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Contains("secure", signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("fuchun.session=", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ErrorAnswers_ShowNoStackTraceOrInternalPath()
    {
        using var malformed = new StringContent("{\"target\": ", System.Text.Encoding.UTF8, "application/json");
        var answers = new List<HttpResponseMessage>
        {
            await server.Client.PostAsync("/api/projects/330111-2023-001/stage", malformed, Ct),
            await server.Client.PostAsJsonAsync("/api/projects/330111-2023-001/stage", new { target = "NoSuchStage" }, Ct),
            await server.Client.GetAsync("/api/projects/330111-2023-001/layers/no_such_kind/export", Ct),
            await server.Client.GetAsync("/api/projects/330111-2023-001/package?format=exe", Ct),
            await server.Client.GetAsync("/tiles/999999/14/13680/6711.mvt", Ct),
        };
        foreach (var answer in answers)
        {
            var body = await answer.Content.ReadAsStringAsync(Ct);
            Assert.True((int)answer.StatusCode is >= 400 and < 500, $"{answer.RequestMessage!.RequestUri}: {answer.StatusCode}");
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
            Assert.DoesNotContain(SharedDataRoot(), body, StringComparison.Ordinal);
            Assert.DoesNotContain("/tmp/", body, StringComparison.Ordinal);
            answer.Dispose();
        }

        static string SharedDataRoot() => Path.GetDirectoryName(typeof(HardeningTests).Assembly.Location)!.Split("/tests/")[0];
    }

    [Fact]
    public async Task ABodyBeyondTheLimit_IsRefusedBeforeItIsRead()
    {
        // 64 MiB is the most any request may send, but for the file uploads (1 GiB: a district's 三调 parcels). The
        // request announces a larger body and sends a little of it: the answer comes at once, without the rest.
        var token = (await server.AccountAsync(RunningServer.CityUser, [Domain.Governance.Role.CityBureau])).Token;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port, Ct);
        var stream = tcp.GetStream();
        var head = $"POST /api/projects HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nAuthorization: Bearer {token}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {(64L * 1024 * 1024) + 1}\r\n\r\n{{\"name\":\"";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head), Ct);
        using var reader = new StreamReader(stream);
        var status = await reader.ReadLineAsync(Ct);
        Assert.Equal("HTTP/1.1 413 Payload Too Large", status);
    }

    [Fact]
    public async Task InputThatLooksLikeSql_StaysData()
    {
        var before = (await server.Client.GetFromJsonAsync<JsonElement>("/api/projects?pageSize=1", Ct)).GetProperty("total").GetInt32();
        foreach (var q in new[] { "' OR 1=1 --", "\"; DROP TABLE projects; --", "%' UNION SELECT * FROM accounts --" })
        {
            var found = await server.Client.GetFromJsonAsync<JsonElement>($"/api/projects?q={Uri.EscapeDataString(q)}", Ct);
            Assert.Equal(0, found.GetProperty("total").GetInt32());
        }

        foreach (var path in new[] { "/api/projects/x'%20OR%20'1'='1", "/api/projects/1%3BDROP%20TABLE%20parcels/layers", "/api/projects/330111-2023-001/layers/parcels_before%27--/export" })
        {
            using var response = await server.Client.GetAsync(path, Ct);
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, path);
        }

        var after = (await server.Client.GetFromJsonAsync<JsonElement>("/api/projects?pageSize=1", Ct)).GetProperty("total").GetInt32();
        Assert.True(after >= before);
        Assert.True((await server.Client.GetFromJsonAsync<JsonElement>("/api/projects/330111-2023-001/layers", Ct)).GetArrayLength() > 0);
    }
}
