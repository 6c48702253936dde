using Fuchun.Domain.Governance;
using Fuchun.Domain.Planning;
using Fuchun.Domain.Projects;
using Fuchun.Storage.Planning;
using Fuchun.Storage.Projects;
using Fuchun.Storage.Seeding;
using Fuchun.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Storage.Tests;

/// <summary>
/// The plan system of paragraph (七) on both backends: who writes and who approves each level, the order of
/// approvals down the hierarchy, the return with a reason, and 立项 only within an approved annual plan.
/// </summary>
public abstract class PlanContract : IAsyncLifetime
{
    private static readonly Actor City = new("市局规划处", new HashSet<Role> { Role.CityBureau });
    private static readonly Actor LeadingGroup = new("领导小组审核人", new HashSet<Role> { Role.LeadingGroup });
    private static readonly Actor Fuyang = new("富阳经办人", new HashSet<Role> { Role.DistrictOfficer }, "330111");
    private static readonly Actor Xihu = new("西湖经办人", new HashSet<Role> { Role.DistrictOfficer }, "330106");
    private TestDatabase? database;
    private AsyncServiceScope scope;

    protected abstract DatabaseProvider Provider { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PlanService Plans => scope.ServiceProvider.GetRequiredService<PlanService>();

    private static int Year => PlanRules.YearOf(DateTimeOffset.UtcNow);

    public async ValueTask InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(Provider);
        scope = database.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(withProjects: false, cancellationToken: Ct);
        var registry = scope.ServiceProvider.GetRequiredService<ProjectRegistry>();
        await registry.CreateAsync(RegistryContract.Details("330111-2026-601", pilot: false), "测试", null, Ct);
        await registry.CreateAsync(RegistryContract.Details("330106-2026-602", pilot: false) with { DistrictCode = "330106", TownshipCodes = [] }, "测试", null, Ct);
        await registry.MoveStageAsync("330111-2026-601", ProjectStage.SurveyEvaluation, null, Fuyang, null, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await scope.DisposeAsync();
        if (database is not null)
        {
            await database.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private static PlanDraft Annual(string code, params string[] projects) =>
        new(code, PlanLevel.Annual, "富阳区年度实施计划", "330111", "330111-GH", Year, Year, projects);

    [Fact]
    public async Task EachLevel_IsWrittenAndApprovedByItsOwner_DownTheHierarchy()
    {
        // The outline is the city bureau's to write; the district plans the districts'.
        await Assert.ThrowsAsync<AccessDeniedException>(() => Plans.CreateAsync(new("HZ-GY", PlanLevel.CityOutline, "纲要", null, null, 2023, 2027, []), Fuyang, Ct));
        await Plans.CreateAsync(new("HZ-GY", PlanLevel.CityOutline, "杭州市土地综合整治规划纲要", null, null, 2023, 2027, []), City, Ct);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Plans.CreateAsync(new("330111-GH", PlanLevel.District, "富阳区整治规划", "330111", "HZ-GY", 2023, 2027, []), City, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Plans.CreateAsync(new("330111-GH", PlanLevel.District, "富阳区整治规划", "330111", "HZ-GY", 2023, 2027, []), Xihu, Ct));
        await Plans.CreateAsync(new("330111-GH", PlanLevel.District, "富阳区整治规划", "330111", "HZ-GY", 2023, 2027, []), Fuyang, Ct);

        // What a plan must say: one year for an annual plan, the right parent, its own district's projects.
        var bad = await Assert.ThrowsAsync<DomainValidationException>(() => Plans.CreateAsync(
            new("330111-ND", PlanLevel.Annual, "富阳区年度实施计划", "330111", "HZ-GY", Year, Year + 1, ["330106-2026-602"]), Fuyang, Ct));
        Assert.Equal(["endYear", "parentCode", "projectCodes"], bad.Errors.Select(e => e.Field).Order());
        await Plans.CreateAsync(Annual("330111-ND", "330111-2026-601"), Fuyang, Ct);

        // Submitted, a plan is fixed; approved only by its body, and only after the plan above it.
        await Plans.SubmitAsync("330111-ND", Fuyang, Ct);
        Assert.Equal("status", Assert.Single((await Assert.ThrowsAsync<DomainValidationException>(() => Plans.UpdateAsync("330111-ND", Annual("330111-ND"), Fuyang, Ct))).Errors).Field);
        Assert.Contains("领导小组", (await Assert.ThrowsAsync<AccessDeniedException>(() => Plans.ApproveAsync("330111-ND", City, Ct))).Message, StringComparison.Ordinal);
        Assert.Equal("parentCode", Assert.Single((await Assert.ThrowsAsync<DomainValidationException>(() => Plans.ApproveAsync("330111-ND", LeadingGroup, Ct))).Errors).Field);

        await Plans.SubmitAsync("HZ-GY", City, Ct);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Plans.ApproveAsync("HZ-GY", LeadingGroup, Ct));
        await Plans.ApproveAsync("HZ-GY", City, Ct);
        await Plans.SubmitAsync("330111-GH", Fuyang, Ct);
        await Plans.ApproveAsync("330111-GH", City, Ct);

        // Returned with a reason, changed, submitted again, approved.
        Assert.Equal("reason", Assert.Single((await Assert.ThrowsAsync<DomainValidationException>(() => Plans.ReturnAsync("330111-ND", " ", LeadingGroup, Ct))).Errors).Field);
        await Plans.ReturnAsync("330111-ND", "请补充项目投资估算", LeadingGroup, Ct);
        await Plans.UpdateAsync("330111-ND", Annual("330111-ND", "330111-2026-601") with { Name = "富阳区年度实施计划（修改稿）" }, Fuyang, Ct);
        await Plans.SubmitAsync("330111-ND", Fuyang, Ct);
        var approved = await Plans.ApproveAsync("330111-ND", LeadingGroup, Ct);
        Assert.Equal(PlanStatus.Approved, approved.Status);
        Assert.Equal("领导小组审核人", approved.ApprovedBy);
        Assert.Null(approved.ReturnReason);

        var trail = await scope.ServiceProvider.GetRequiredService<FuchunDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.Subject == "330111-ND").OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync(Ct);
        Assert.Equal(["plan.created", "plan.submitted", "plan.returned", "plan.edited", "plan.submitted", "plan.approved"], trail);

        // A district sees its own plans and the city's outline, not another district's.
        Assert.Equal(["HZ-GY", "330111-GH", "330111-ND"], (await Plans.ListAsync("330111", Ct)).Select(p => p.Code));
        Assert.Equal(["HZ-GY"], (await Plans.ListAsync("330106", Ct)).Select(p => p.Code));
        await Assert.ThrowsAsync<PlanNotFoundException>(() => Plans.GetAsync("330111-ND", "330106", Ct));
    }

    [Fact]
    public async Task Approval_OfAProject_WaitsForAnApprovedAnnualPlanListingIt()
    {
        var registry = scope.ServiceProvider.GetRequiredService<ProjectRegistry>();
        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => registry.MoveStageAsync("330111-2026-601", ProjectStage.Approval, null, Fuyang, null, Ct));
        Assert.Contains($"{Year} 年度已批准的年度实施计划", Assert.Single(refused.Errors).Message, StringComparison.Ordinal);

        // Listed in a plan that is only submitted: still not.
        await Plans.CreateAsync(new("HZ-GY", PlanLevel.CityOutline, "纲要", null, null, 2023, 2027, []), City, Ct);
        await Plans.SubmitAsync("HZ-GY", City, Ct);
        await Plans.ApproveAsync("HZ-GY", City, Ct);
        await Plans.CreateAsync(new("330111-GH", PlanLevel.District, "富阳区整治规划", "330111", "HZ-GY", 2023, 2027, []), Fuyang, Ct);
        await Plans.SubmitAsync("330111-GH", Fuyang, Ct);
        await Plans.ApproveAsync("330111-GH", City, Ct);
        await Plans.CreateAsync(Annual("330111-ND", "330111-2026-601"), Fuyang, Ct);
        await Plans.SubmitAsync("330111-ND", Fuyang, Ct);
        await Assert.ThrowsAsync<DomainValidationException>(() => registry.MoveStageAsync("330111-2026-601", ProjectStage.Approval, null, Fuyang, null, Ct));

        await Plans.ApproveAsync("330111-ND", LeadingGroup, Ct);
        await DocumentFixtures.FileAsync(database!.Services, "330111-2026-601", "approval_reply");
        await registry.MoveStageAsync("330111-2026-601", ProjectStage.Approval, null, Fuyang, null, Ct);
        scope.ServiceProvider.GetRequiredService<FuchunDbContext>().ChangeTracker.Clear();
        Assert.Equal(ProjectStage.Approval, (await registry.GetAsync("330111-2026-601", Ct)).Stage);
    }
}

public sealed class SqlitePlanTests : PlanContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresPlanTests : PlanContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
