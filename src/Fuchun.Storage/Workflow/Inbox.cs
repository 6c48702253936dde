using Fuchun.Domain.Governance;
using Fuchun.Domain.Planning;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Resources;
using Fuchun.Storage.Planning;
using Fuchun.Storage.Projects;
using Microsoft.EntityFrameworkCore;

namespace Fuchun.Storage.Workflow;

/// <summary>One thing waiting for someone: a project whose stage they decide, or a plan they are to submit or approve.</summary>
public sealed record InboxItem(string Kind, string Code, string Name, string What, string Link, DateTimeOffset Since);

/// <summary>
/// Whose turn it is (待办): what waits for an account, worked out from the state of projects and plans, so that it is
/// never out of date — a district officer's projects in the stages the district decides and the plans it is to
/// submit; the city bureau's projects in plan review and city acceptance and the plans whose approval it records; the
/// leading group's area and annual plans awaiting approval. Oldest first.
/// </summary>
public sealed class Inbox(FuchunDbContext db)
{
    private static readonly ProjectStage[] DistrictStages =
        [ProjectStage.Reserve, ProjectStage.SurveyEvaluation, ProjectStage.Approval, ProjectStage.Implementation, ProjectStage.DistrictAcceptance];

    private static readonly ProjectStage[] CityStages = [ProjectStage.PlanReview, ProjectStage.CityAcceptance];

    public async Task<IReadOnlyList<InboxItem>> ForAsync(IReadOnlyCollection<Role> roles, string? districtCode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var items = new List<InboxItem>();
        var stages = new List<ProjectStage>();
        if (roles.Contains(Role.DistrictOfficer) && districtCode is not null)
        {
            stages.AddRange(DistrictStages);
        }

        if (roles.Contains(Role.CityBureau))
        {
            stages.AddRange(CityStages);
        }

        if (stages.Count > 0)
        {
            var q = db.Projects.AsNoTracking().Where(p => stages.Contains(p.Stage));
            if (!roles.Contains(Role.CityBureau))
            {
                q = q.Where(p => p.DistrictCode == districtCode);
            }

            foreach (var p in await q.Select(p => new { p.Code, p.Name, p.Stage, p.UpdatedAt }).ToListAsync(cancellationToken))
            {
                var next = ProjectLifecycle.Next(p.Stage);
                items.Add(new("project", p.Code, p.Name,
                    Messages.InboxStage(ProjectRegistry.StageName(p.Stage), next is { } n ? ProjectRegistry.StageName(n) : ""),
                    $"/projects/{p.Code}", p.UpdatedAt));
            }
        }

        var plans = await db.Plans.AsNoTracking().Where(p => p.Status != PlanStatus.Approved).ToListAsync(cancellationToken);
        foreach (var plan in plans)
        {
            var author = PlanRules.Author(plan.Level);
            var toSubmit = plan.Status is PlanStatus.Draft or PlanStatus.Returned && roles.Contains(author)
                && (author != Role.DistrictOfficer || plan.DistrictCode == districtCode);
            var toApprove = plan.Status == PlanStatus.Submitted && roles.Contains(PlanRules.Approver(plan.Level));
            if (toSubmit || toApprove)
            {
                items.Add(new("plan", plan.Code, plan.Name,
                    toApprove ? Messages.InboxPlanApprove(PlanService.LevelName(plan.Level), PlanService.ApprovingBody(plan.Level))
                        : plan.Status == PlanStatus.Returned ? Messages.InboxPlanReturned(plan.ReturnReason ?? "") : Messages.InboxPlanSubmit(PlanService.LevelName(plan.Level)),
                    "/plans", plan.UpdatedAt));
            }
        }

        return [.. items.OrderBy(i => i.Since).ThenBy(i => i.Code, StringComparer.Ordinal)];
    }
}
