using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fuchun.Domain.Governance;

namespace Fuchun.Server.Tests;

/// <summary>
/// The three separated administrators (三员分立) over the API: the system administrator makes an account and hands
/// over its password but cannot give it a role or read the trail; the security administrator grants the role; the
/// new colleague signs in, changes the password and works; disabling the account ends its access at once.
/// </summary>
public sealed class AdministrationTests(DemoServer server)
{
    private static readonly string[] DistrictOfficer = ["district_officer"];
    private static readonly string[] AuditAndCity = ["audit_admin", "city_bureau"];
    private static readonly string[] SecurityAndAudit = ["security_admin", "audit_admin"];
    private static readonly string[] Mayor = ["mayor"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAccount_IsMadeByTheSystemAdministrator_GivenItsRoleByTheSecurityAdministrator_AndEndedAtOnce()
    {
        using var sysadmin = server.ClientWith((await server.AccountAsync("admin.system", [Role.SystemAdministrator])).Token);
        using var secadmin = server.ClientWith((await server.AccountAsync("admin.security", [Role.SecurityAdministrator])).Token);

        using var created = await sysadmin.PostAsJsonAsync("/api/accounts", new { userName = "admin.newcomer", displayName = "临安新同事" }, Ct);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var initial = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("password").GetString()!;

        // The system administrator runs the system: no roles to give, no trail to read, no projects to see.
        Assert.Equal(HttpStatusCode.Forbidden, (await sysadmin.PutAsJsonAsync("/api/accounts/admin.newcomer/roles", new { roles = DistrictOfficer, districtCode = "330112" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sysadmin.GetAsync("/api/audit", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sysadmin.GetAsync("/api/projects", Ct)).StatusCode);
        // The security administrator grants roles and nothing else; never two administrators' roles, never their own.
        Assert.Equal(HttpStatusCode.Forbidden, (await secadmin.PostAsJsonAsync("/api/accounts", new { userName = "admin.other", displayName = "x" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await secadmin.GetAsync("/api/audit", Ct)).StatusCode);
        using (var both = await secadmin.PutAsJsonAsync("/api/accounts/admin.newcomer/roles", new { roles = AuditAndCity }, Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
            Assert.Contains("三员分立", (await both.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("roles")[0].GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await secadmin.PutAsJsonAsync("/api/accounts/admin.security/roles", new { roles = SecurityAndAudit }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await secadmin.PutAsJsonAsync("/api/accounts/admin.newcomer/roles", new { roles = Mayor }, Ct)).StatusCode);

        // Without a role the newcomer can sign in, and do nothing.
        using var browser = new SignInTests.BrowserClient(server.BaseAddress);
        await browser.SessionAsync();
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInAsync("admin.newcomer", initial)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(HttpMethod.Post, "/api/session/password", new { current = initial, password = "Linan-2026-ok" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Http.GetAsync("/api/projects", Ct)).StatusCode);

        using var granted = await secadmin.PutAsJsonAsync("/api/accounts/admin.newcomer/roles", new { roles = DistrictOfficer, districtCode = "330112" }, Ct);
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        Assert.Equal("330112", (await granted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("districtCode").GetString());
        // The grant ended the session that began without the role; signed in again, the district's projects are there.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync("/api/projects", Ct)).StatusCode);
        await browser.SessionAsync();
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInAsync("admin.newcomer", "Linan-2026-ok")).StatusCode);
        var mine = await browser.Http.GetFromJsonAsync<JsonElement>("/api/projects?pageSize=100", Ct);
        Assert.NotEqual(0, mine.GetProperty("total").GetInt32());
        Assert.All(mine.GetProperty("items").EnumerateArray(), p => Assert.Equal("330112", p.GetProperty("districtCode").GetString()));

        var listed = await secadmin.GetFromJsonAsync<JsonElement>("/api/accounts", Ct);
        var entry = listed.EnumerateArray().Single(a => a.GetProperty("userName").GetString() == "admin.newcomer");
        Assert.Equal(["区县经办人"], entry.GetProperty("roleNames").EnumerateArray().Select(r => r.GetString()));
        Assert.False(entry.TryGetProperty("passwordHash", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await sysadmin.PostAsync("/api/accounts/admin.newcomer/disable", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync("/api/projects", Ct)).StatusCode);
        await browser.SessionAsync();
        using var disabled = await browser.SignInAsync("admin.newcomer", "Linan-2026-ok");
        Assert.Equal("账号已停用。", (await disabled.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString());

        // All of it is on the trail, for the audit administrator.
        using var auditAdmin = server.ClientWith((await server.AccountAsync("admin.audit", [Role.AuditAdministrator])).Token);
        var trail = await auditAdmin.GetFromJsonAsync<JsonElement>("/api/audit?subject=admin.newcomer&pageSize=100", Ct);
        var trailActions = trail.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("account.created", trailActions);
        Assert.Contains("account.roles_granted", trailActions);
        Assert.Contains("account.password_changed", trailActions);
        Assert.Contains("account.disabled", trailActions);
        Assert.Contains("signin.failed", trailActions);
        var grant = trail.GetProperty("items").EnumerateArray().First(e => e.GetProperty("action").GetString() == "account.roles_granted");
        Assert.Equal("admin.security", grant.GetProperty("actor").GetString());
        Assert.Equal("security_admin", grant.GetProperty("role").GetString());
    }
}
