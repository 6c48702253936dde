using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fuchun.Domain.Governance;

namespace Fuchun.Server.Tests;

/// <summary>The to-do list (待办): what waits for whom follows the plan's and the project's state as they change.</summary>
public sealed class InboxTests(DemoServer server)
{
    private static readonly string[] Projects = ["330122-2023-007"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<(string Kind, string Code, string What)>> InboxAsync(HttpClient client) =>
        [.. (await client.GetFromJsonAsync<JsonElement>("/api/inbox", Ct)).EnumerateArray()
            .Select(i => (i.GetProperty("kind").GetString()!, i.GetProperty("code").GetString()!, i.GetProperty("what").GetString()!))];

    [Fact]
    public async Task APlan_IsOnTheInboxOfWhoeverHasTheNextStep()
    {
        using var district = server.ClientWith((await server.AccountAsync("inbox.tonglu", [Role.DistrictOfficer], "330122")).Token);
        using var reviewer = server.ClientWith((await server.AccountAsync("inbox.leading", [Role.LeadingGroup])).Token);
        using var auditor = server.ClientWith((await server.AccountAsync("inbox.auditor", [Role.Auditor])).Token);
        const string plan = "330122-ND-INBOX";
        var year = Domain.Planning.PlanRules.YearOf(DateTimeOffset.UtcNow);

        using (var created = await district.PostAsJsonAsync("/api/plans", new
        {
            code = plan, level = "Annual", name = "桐庐县年度实施计划（待办测试）", districtCode = "330122", parentCode = "330122-GH-2023",
            startYear = year, endYear = year, projectCodes = Projects,
        }, Ct))
        {
            Assert.True(created.StatusCode == HttpStatusCode.OK, await created.Content.ReadAsStringAsync(Ct));
        }

        Assert.Contains(await InboxAsync(district), i => i.Code == plan && i.What.Contains("待报批", StringComparison.Ordinal));
        Assert.DoesNotContain(await InboxAsync(reviewer), i => i.Code == plan);

        Assert.Equal(HttpStatusCode.OK, (await district.PostAsync($"/api/plans/{plan}/submit", null, Ct)).StatusCode);
        Assert.DoesNotContain(await InboxAsync(district), i => i.Code == plan);
        Assert.Contains(await InboxAsync(reviewer), i => i.Code == plan && i.What.Contains("领导小组", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsJsonAsync($"/api/plans/{plan}/return", new { reason = "请补充资金来源" }, Ct)).StatusCode);
        Assert.DoesNotContain(await InboxAsync(reviewer), i => i.Code == plan);
        Assert.Contains(await InboxAsync(district), i => i.Code == plan && i.What.Contains("请补充资金来源", StringComparison.Ordinal));

        // The district's own projects in the stages it decides are its to move on; the auditor has nothing to do.
        Assert.All((await InboxAsync(district)).Where(i => i.Kind == "project"), i => Assert.StartsWith("330122-", i.Code, StringComparison.Ordinal));
        Assert.Empty(await InboxAsync(auditor));
        // A project in plan review is the city's.
        Assert.Contains(await InboxAsync(server.Client), i => i.Kind == "project" && i.Code == "330182-2023-010" && i.What.Contains("实施方案审查", StringComparison.Ordinal));
    }
}
