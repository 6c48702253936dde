using Fuchun.Domain.Governance;
using Fuchun.Domain.Planning;
using Fuchun.Storage.Planning;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Testing;

/// <summary>
/// Puts projects into an approved annual plan of their district for this year, the way the platform's own users do
/// it (outline and district plan first, each submitted and approved), so that a test may take them through 立项.
/// </summary>
public static class PlanFixtures
{
    private static int counter;

    public static async Task ListForApprovalAsync(IServiceProvider services, string districtCode, params string[] projectCodes)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var plans = scope.ServiceProvider.GetRequiredService<PlanService>();
        var db = scope.ServiceProvider.GetRequiredService<Storage.FuchunDbContext>();
        var operatorActor = Actor.Operator("test:plans");
        var year = PlanRules.YearOf(DateTimeOffset.UtcNow);

        async Task<string> EnsureAsync(PlanDraft draft)
        {
            if (!await db.Plans.AnyAsync(p => p.Code == draft.Code))
            {
                await plans.CreateAsync(draft, operatorActor);
                await plans.SubmitAsync(draft.Code, operatorActor);
                await plans.ApproveAsync(draft.Code, operatorActor);
            }

            return draft.Code;
        }

        var outline = await EnsureAsync(new("TEST-GY", PlanLevel.CityOutline, "测试整治规划纲要", null, null, 2023, 2027, []));
        var district = await EnsureAsync(new($"TEST-{districtCode}-GH", PlanLevel.District, "测试区县整治规划", districtCode, outline, 2023, 2027, []));
        await EnsureAsync(new($"TEST-{districtCode}-ND-{Interlocked.Increment(ref counter)}-{Guid.NewGuid().ToString("N")[..6]}", PlanLevel.Annual, "测试年度实施计划",
            districtCode, district, year, year, projectCodes));
    }
}
