using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fuchun.Domain.Governance;
using Fuchun.Storage.Governance;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Server.Tests;

/// <summary>
/// Bearer tokens over the API: a bad or revoked token is refused; a token's account is the actor, and its roles
/// decide who may waive a failing gate.
/// </summary>
public sealed class TokenApiTests(DemoServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(string Token, int Id)> AccountWithTokenAsync(string user, Role role, string? district = null)
    {
        var account = await server.AccountAsync(user, [role], district);
        return (account.Token, account.TokenId);
    }

    private HttpClient ClientWith(string token) => server.ClientWith(token);

    [Fact]
    public async Task ABadOrRevokedToken_IsRefused()
    {
        using var bogus = ClientWith(ApiToken.Prefix + "not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bogus.GetAsync("/api/projects", Ct)).StatusCode);

        var (token, id) = await AccountWithTokenAsync("token-test-auditor", Role.Auditor);
        using var client = ClientWith(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/projects", Ct)).StatusCode);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AccountService>().RevokeTokenAsync(id, Ct);
        }

        using var refused = await client.GetAsync("/api/projects", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("吊销", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingGate_IsWaivedByTheCityBureausToken_NotByADistricts()
    {
        const string code = "330110-2025-015";   // in approval, with failing rules
        var (districtToken, _) = await AccountWithTokenAsync("token-test-district", Role.DistrictOfficer, "330110");
        var (cityToken, _) = await AccountWithTokenAsync("token-test-city", Role.CityBureau);
        using var district = ClientWith(districtToken);
        using var city = ClientWith(cityToken);
        Assert.Equal(HttpStatusCode.OK, (await district.PostAsJsonAsync($"/api/projects/{code}/stage", new { target = "PlanReview" }, Ct)).StatusCode);

        // Plan review is the city's: the district can neither pass it nor waive its gate.
        using var refused = await district.PostAsJsonAsync($"/api/projects/{code}/stage", new { target = "Implementation", waiver = "区县先行" }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("市局", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString(), StringComparison.Ordinal);

        // Leaving plan review needs the review's opinion on file.
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(Testing.DocumentFixtures.Pdf), "file", "实施方案审查意见.pdf" }, { new StringContent("plan_review_opinion"), "kind" } })
        {
            Assert.Equal(HttpStatusCode.OK, (await city.PostAsync($"/api/projects/{code}/documents", form, Ct)).StatusCode);
        }

        using var waived = await city.PostAsJsonAsync($"/api/projects/{code}/stage", new { target = "Implementation", waiver = "新增耕地在相邻项目统筹，市局同意先行实施" }, Ct);
        Assert.Equal(HttpStatusCode.OK, waived.StatusCode);
        Assert.Equal("Implementation", (await waived.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("stage").GetString());

        var history = await server.Client.GetFromJsonAsync<JsonElement>($"/api/projects/{code}/history", Ct);
        var waiver = history.EnumerateArray().Last(h => h.GetProperty("kind").GetString() == "GateWaived");
        Assert.Equal("token-test-city", waiver.GetProperty("actor").GetString());
        Assert.Equal("city_bureau", waiver.GetProperty("after").GetProperty("role").GetString());
        Assert.Equal("token-test-district", history.EnumerateArray().First(h => h.GetProperty("kind").GetString() == "StageChanged" && h.GetProperty("after").GetProperty("stage").GetString() == "PlanReview").GetProperty("actor").GetString());
    }

    [Fact]
    public async Task TheAuditTrail_IsReadByTheAuditAdministratorAlone_SearchedAndExported()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Anonymous.GetAsync("/api/audit", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Client.GetAsync("/api/audit", Ct)).StatusCode);
        var (systemToken, _) = await AccountWithTokenAsync("token-test-sysadmin", Role.SystemAdministrator);
        using (var sysadmin = ClientWith(systemToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await sysadmin.GetAsync("/api/audit", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await sysadmin.GetAsync("/api/audit/export.csv", Ct)).StatusCode);
        }

        // Something to find: a package export by an auditor.
        var (auditorToken, _) = await AccountWithTokenAsync("token-test-reader", Role.Auditor);
        using (var auditor = ClientWith(auditorToken))
        {
            Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/api/projects/330111-2025-003/package?format=gpkg", Ct)).StatusCode);
        }

        var (auditToken, _) = await AccountWithTokenAsync("token-test-auditadmin", Role.AuditAdministrator);
        using var client = ClientWith(auditToken);
        var page = await client.GetFromJsonAsync<JsonElement>("/api/audit?actor=token-test-reader&action=package.", Ct);
        var entry = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("package.exported", entry.GetProperty("action").GetString());
        Assert.Equal("330111-2025-003", entry.GetProperty("subject").GetString());
        Assert.StartsWith("web ", entry.GetProperty("source").GetString(), StringComparison.Ordinal);

        var csv = await client.GetStringAsync("/api/audit/export.csv", Ct);
        Assert.Contains("序号,时间,操作人", csv, StringComparison.Ordinal);
        Assert.Contains("\"package.exported\",\"330111-2025-003\"", csv, StringComparison.Ordinal);
        Assert.Contains("\"account.created\",\"token-test-auditadmin\"", csv, StringComparison.Ordinal);

        // Reading the trail is on the trail.
        var reads = await client.GetFromJsonAsync<JsonElement>("/api/audit?action=audit.", Ct);
        Assert.Contains(reads.GetProperty("items").EnumerateArray(), e => e.GetProperty("actor").GetString() == "token-test-auditadmin");
    }

    [Fact]
    public async Task ADistrictAccount_SeesAndReachesOnlyItsDistrict()
    {
        var (token, _) = await AccountWithTokenAsync("token-test-fuyang", Role.DistrictOfficer, "330111");
        using var fuyang = ClientWith(token);
        // Other tests register Fuyang projects on the shared server meanwhile: the count is bracketed, not fixed.
        var before = (await server.Client.GetFromJsonAsync<JsonElement>("/api/projects?district=330111&pageSize=1", Ct)).GetProperty("total").GetInt32();
        var mine = await fuyang.GetFromJsonAsync<JsonElement>("/api/projects?pageSize=100", Ct);
        var after = (await server.Client.GetFromJsonAsync<JsonElement>("/api/projects?district=330111&pageSize=1", Ct)).GetProperty("total").GetInt32();
        Assert.InRange(mine.GetProperty("total").GetInt32(), before, after);
        Assert.True(before < (await server.Client.GetFromJsonAsync<JsonElement>("/api/projects?pageSize=1", Ct)).GetProperty("total").GetInt32());
        Assert.All(mine.GetProperty("items").EnumerateArray(), p => Assert.Equal("330111", p.GetProperty("districtCode").GetString()));
        Assert.Equal(0, (await fuyang.GetFromJsonAsync<JsonElement>("/api/projects?district=330106", Ct)).GetProperty("total").GetInt32());

        // Another district's project, its parts and its tiles answer as if they did not exist.
        const string other = "330106-2024-020";
        var otherLayer = (await server.Client.GetFromJsonAsync<JsonElement>($"/api/projects/{other}/layers", Ct))[0].GetProperty("id").GetInt32();
        foreach (var path in new[] { $"/api/projects/{other}", $"/api/projects/{other}/layers", $"/api/projects/{other}/check", $"/api/projects/{other}/analysis",
            $"/api/projects/{other}/package", $"/api/projects/{other}/history", $"/api/projects/{other}/layers/parcels_before/export", $"/tiles/{otherLayer}/14/13680/6711.mvt" })
        {
            Assert.True(HttpStatusCode.NotFound == (await fuyang.GetAsync(path, Ct)).StatusCode, path);
        }

        using (var stage = await fuyang.PostAsJsonAsync($"/api/projects/{other}/stage", new { target = "Approval" }, Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, stage.StatusCode);
        }

        // Its own are open to it; it cannot register a project elsewhere.
        Assert.Equal(HttpStatusCode.OK, (await fuyang.GetAsync("/api/projects/330111-2023-001/check", Ct)).StatusCode);
        using var created = await fuyang.PostAsJsonAsync("/api/projects", new { code = "330106-2026-950", name = "越权登记", districtCode = "330106", townshipCodes = Array.Empty<string>() }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.True((await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("districtCode", out _));
    }

    [Fact]
    public async Task TheDemo_PrintsFreshTokensForItsAccounts_OnceAtFirstStart()
    {
        string TokenOf(string user) => System.Text.RegularExpressions.Regex.Match(
            Assert.Single(server.Printed, l => l.Contains($"Demo account {user} ", StringComparison.Ordinal)), "fct_[A-Za-z0-9_-]{43}").Value;

        using var auditAdmin = ClientWith(TokenOf("demo.auditadmin"));
        Assert.Equal(HttpStatusCode.OK, (await auditAdmin.GetAsync("/api/audit?pageSize=1", Ct)).StatusCode);
        using var fuyang = ClientWith(TokenOf("demo.fuyang"));
        var mine = await fuyang.GetFromJsonAsync<JsonElement>("/api/projects?pageSize=100", Ct);
        Assert.All(mine.GetProperty("items").EnumerateArray(), p => Assert.Equal("330111", p.GetProperty("districtCode").GetString()));
        Assert.NotEqual(TokenOf("demo.city"), TokenOf("demo.auditor"));
    }

    [Fact]
    public async Task ATownshipAccount_SeesOnlyTheProjectsThatTakeInItsTownship()
    {
        // 330111-2025-003 takes in 330111200; 330111-2024-002, in the same district, does not.
        var township = await server.AccountAsync("token-test-township", [Role.TownshipOfficer], "330111", "330111200");
        using var client = ClientWith(township.Token);
        var mine = await client.GetFromJsonAsync<JsonElement>("/api/projects?pageSize=100", Ct);
        Assert.Contains(mine.GetProperty("items").EnumerateArray(), p => p.GetProperty("code").GetString() == "330111-2025-003");
        Assert.DoesNotContain(mine.GetProperty("items").EnumerateArray(), p => p.GetProperty("code").GetString() == "330111-2024-002");
        foreach (var item in mine.GetProperty("items").EnumerateArray())
        {
            var project = await client.GetFromJsonAsync<JsonElement>($"/api/projects/{item.GetProperty("code").GetString()}", Ct);
            Assert.Contains(project.GetProperty("townships").EnumerateArray(), t => t.GetProperty("code").GetString() == "330111200");
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/projects/330111-2025-003", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/projects/330111-2024-002", Ct)).StatusCode);
        var layer = (await server.Client.GetFromJsonAsync<JsonElement>("/api/projects/330111-2024-002/layers", Ct))[0].GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/tiles/{layer}/14/13680/6711.mvt", Ct)).StatusCode);

        // A township officer needs a township, and one of their own district.
        await using var scope = server.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        Assert.Equal("townshipCode", Assert.Single((await Assert.ThrowsAsync<Domain.Projects.DomainValidationException>(() =>
            accounts.AddAsync("token-test-no-township", "x", [Role.TownshipOfficer], "330111", cancellationToken: Ct))).Errors).Field);
        Assert.Equal("townshipCode", Assert.Single((await Assert.ThrowsAsync<Domain.Projects.DomainValidationException>(() =>
            accounts.AddAsync("token-test-far-township", "x", [Role.TownshipOfficer], "330106", townshipCode: "330111200", cancellationToken: Ct))).Errors).Field);
    }
}
