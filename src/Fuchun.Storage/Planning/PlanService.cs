using System.Text.Json;
using System.Text.RegularExpressions;
using Fuchun.Domain.Governance;
using Fuchun.Domain.Planning;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Reference;
using Fuchun.Domain.Resources;
using Microsoft.EntityFrameworkCore;

namespace Fuchun.Storage.Planning;

/// <summary>
/// The plan system of paragraph (七): the city bureau writes the outline; a district writes its district plan, area
/// plans and annual plans; each is submitted, then approved or returned by the body that approves its level — the
/// city government (recorded by the city bureau) for the outline and district plans, the leading group for area and
/// annual plans — and only after the plan it carries down from is approved. A project passes 立项 only when an
/// approved annual plan of its district for that year lists it (<see cref="ListedForApprovalAsync"/>). Every change is
/// an audit entry. The operator at the console is bound by the order of things, not by roles.
/// </summary>
public sealed partial class PlanService(FuchunDbContext db, TimeProvider clock)
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{1,39}$")]
    private static partial Regex CodePattern();

    public static string LevelName(PlanLevel level) => Messages.Get("PlanLevel" + level);

    public static string StatusName(PlanStatus status) => Messages.Get("PlanStatus" + status);

    /// <summary>The body whose approval the level needs.</summary>
    public static string ApprovingBody(PlanLevel level) =>
        PlanRules.Approver(level) == Role.CityBureau ? Messages.PlanBodyCityGovernment() : Messages.PlanBodyLeadingGroup();

    public async Task<IReadOnlyList<Plan>> ListAsync(string? districtCode, CancellationToken cancellationToken = default)
    {
        var q = db.Plans.AsNoTracking();
        if (districtCode is not null)
        {
            // A district sees its own plans and the city's outline its plans carry down from.
            q = q.Where(p => p.DistrictCode == districtCode || p.DistrictCode == null);
        }

        // Levels are stored by name: ordered here, down the hierarchy.
        return [.. (await q.ToListAsync(cancellationToken)).OrderBy(p => p.Level).ThenBy(p => p.DistrictCode, StringComparer.Ordinal)
            .ThenBy(p => p.StartYear).ThenBy(p => p.Code, StringComparer.Ordinal)];
    }

    /// <summary>The plan <paramref name="code"/>; for a district user, only the outline or their own district's.</summary>
    public async Task<Plan> GetAsync(string code, string? visibleTo = null, CancellationToken cancellationToken = default)
    {
        var plan = await db.Plans.FirstOrDefaultAsync(p => p.Code == code, cancellationToken);
        return plan is null || (visibleTo is not null && plan.DistrictCode is not null && plan.DistrictCode != visibleTo)
            ? throw new PlanNotFoundException(code)
            : plan;
    }

    public async Task<Plan> CreateAsync(PlanDraft draft, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(actor);
        draft = Normalised(draft);
        EnsureAuthor(draft.Level, draft.DistrictCode, actor);
        var errors = await ValidateAsync(draft, cancellationToken);
        if (errors.Count == 0 && await db.Plans.AnyAsync(p => p.Code == draft.Code, cancellationToken))
        {
            errors.Add(new("code", Messages.PlanTaken(draft.Code)));
        }

        ThrowIf(errors);
        var plan = new Plan(draft, clock.GetUtcNow());
        db.Plans.Add(plan);
        Audit("plan.created", actor, plan, null);
        await db.SaveChangesAsync(cancellationToken);
        return plan;
    }

    public async Task<Plan> UpdateAsync(string code, PlanDraft draft, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var plan = await GetAsync(code, null, cancellationToken);
        EnsureAuthor(plan.Level, plan.DistrictCode, actor);
        if (!plan.IsEditable)
        {
            throw new DomainValidationException([new FieldError("status", Messages.PlanNotEditable(StatusName(plan.Status)))]);
        }

        draft = Normalised(draft) with { Code = plan.Code, Level = plan.Level };
        ThrowIf(await ValidateAsync(draft, cancellationToken));
        var before = Snapshot(plan);
        plan.Apply(draft, clock.GetUtcNow());
        Audit("plan.edited", actor, plan, before);
        await db.SaveChangesAsync(cancellationToken);
        return plan;
    }

    /// <summary>The author submits a draft (or a returned plan) to the approving body.</summary>
    public async Task<Plan> SubmitAsync(string code, Actor actor, CancellationToken cancellationToken = default)
    {
        var plan = await GetAsync(code, null, cancellationToken);
        EnsureAuthor(plan.Level, plan.DistrictCode, actor);
        EnsureStatus(plan, Messages.PlanActionSubmit(), PlanStatus.Draft, PlanStatus.Returned);
        var before = Snapshot(plan);
        plan.Submit(clock.GetUtcNow());
        Audit("plan.submitted", actor, plan, before);
        await db.SaveChangesAsync(cancellationToken);
        return plan;
    }

    /// <summary>The approving body approves a submitted plan whose parent is approved.</summary>
    public async Task<Plan> ApproveAsync(string code, Actor actor, CancellationToken cancellationToken = default)
    {
        var plan = await GetAsync(code, null, cancellationToken);
        EnsureApprover(plan.Level, actor);
        EnsureStatus(plan, Messages.PlanActionApprove(), PlanStatus.Submitted);
        if (plan.ParentCode is { } parent && !await db.Plans.AnyAsync(p => p.Code == parent && p.Status == PlanStatus.Approved, cancellationToken))
        {
            throw new DomainValidationException([new FieldError("parentCode", Messages.PlanParentNotApproved(parent))]);
        }

        var before = Snapshot(plan);
        plan.Approve(actor.Name, clock.GetUtcNow());
        Audit("plan.approved", actor, plan, before);
        await db.SaveChangesAsync(cancellationToken);
        return plan;
    }

    /// <summary>The approving body returns a submitted plan with a reason; its author may change and submit it again.</summary>
    public async Task<Plan> ReturnAsync(string code, string reason, Actor actor, CancellationToken cancellationToken = default)
    {
        var plan = await GetAsync(code, null, cancellationToken);
        EnsureApprover(plan.Level, actor);
        EnsureStatus(plan, Messages.PlanActionReturn(), PlanStatus.Submitted);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainValidationException([new FieldError("reason", Messages.PlanReturnReason())]);
        }

        var before = Snapshot(plan);
        plan.Return(reason.Trim(), clock.GetUtcNow());
        Audit("plan.returned", actor, plan, before);
        await db.SaveChangesAsync(cancellationToken);
        return plan;
    }

    /// <summary>True when an approved annual plan of <paramref name="districtCode"/> for <paramref name="year"/> lists <paramref name="projectCode"/>.</summary>
    public async Task<bool> ListedForApprovalAsync(string projectCode, string districtCode, int year, CancellationToken cancellationToken = default)
    {
        var plans = await db.Plans.AsNoTracking()
            .Where(p => p.Level == PlanLevel.Annual && p.Status == PlanStatus.Approved && p.DistrictCode == districtCode && p.StartYear == year)
            .ToListAsync(cancellationToken);
        return plans.Any(p => p.ProjectCodes.Contains(projectCode));
    }

    private static PlanDraft Normalised(PlanDraft d) => d with
    {
        Code = d.Code?.Trim() ?? "",
        Name = d.Name?.Trim() ?? "",
        DistrictCode = string.IsNullOrWhiteSpace(d.DistrictCode) ? null : d.DistrictCode.Trim(),
        ParentCode = string.IsNullOrWhiteSpace(d.ParentCode) ? null : d.ParentCode.Trim(),
        ProjectCodes = [.. (d.ProjectCodes ?? []).Select(c => c.Trim()).Where(c => c.Length > 0)],
    };

    private async Task<List<FieldError>> ValidateAsync(PlanDraft d, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (!CodePattern().IsMatch(d.Code))
        {
            errors.Add(new("code", Messages.PlanCode()));
        }

        if (d.Name.Length == 0)
        {
            errors.Add(new("name", Messages.PlanName()));
        }

        if (d.Level == PlanLevel.CityOutline && d.DistrictCode is not null)
        {
            errors.Add(new("districtCode", Messages.PlanOutlineNoDistrict()));
        }
        else if (d.Level != PlanLevel.CityOutline && (d.DistrictCode is null || HangzhouReferenceData.FindDistrict(d.DistrictCode) is null))
        {
            errors.Add(new("districtCode", Messages.PlanDistrict(d.DistrictCode ?? "")));
        }

        if (d.StartYear is < 2020 or > 2035 || d.EndYear is < 2020 or > 2035 || d.StartYear > d.EndYear)
        {
            errors.Add(new("startYear", Messages.PlanYears(d.StartYear, d.EndYear)));
        }
        else if (d.Level == PlanLevel.Annual && d.StartYear != d.EndYear)
        {
            errors.Add(new("endYear", Messages.PlanAnnualYear()));
        }

        if (PlanRules.ParentLevel(d.Level) is { } parentLevel)
        {
            var parent = d.ParentCode is null ? null : await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Code == d.ParentCode, cancellationToken);
            if (parent is null)
            {
                errors.Add(new("parentCode", Messages.PlanParentMissing(d.ParentCode ?? "")));
            }
            else if (parent.Level != parentLevel)
            {
                errors.Add(new("parentCode", Messages.PlanParentLevel(LevelName(parentLevel))));
            }
            else if (parent.DistrictCode is not null && parent.DistrictCode != d.DistrictCode)
            {
                errors.Add(new("parentCode", Messages.PlanParentDistrict()));
            }
        }

        if (d.ProjectCodes.Count > 0 && d.Level != PlanLevel.Annual)
        {
            errors.Add(new("projectCodes", Messages.PlanProjectsOnlyAnnual()));
        }
        else if (d.ProjectCodes.Count > 0)
        {
            var codes = d.ProjectCodes.ToList();
            var known = await db.Projects.AsNoTracking().Where(p => codes.Contains(p.Code) && p.DistrictCode == d.DistrictCode).Select(p => p.Code).ToListAsync(cancellationToken);
            errors.AddRange(codes.Except(known).Select(c => new FieldError("projectCodes", Messages.PlanProjectOutside(c, d.DistrictCode ?? ""))));
        }

        return errors;
    }

    private static void EnsureAuthor(PlanLevel level, string? districtCode, Actor actor)
    {
        if (actor.IsOperator)
        {
            return;
        }

        var author = PlanRules.Author(level);
        if (!actor.Roles.Contains(author))
        {
            throw new AccessDeniedException(Messages.PlanAuthorOnly(Projects.ProjectRegistry.RoleName(author)));
        }

        if (author == Role.DistrictOfficer && actor.DistrictCode != districtCode)
        {
            throw new AccessDeniedException(Messages.OutsideOwnDistrict(actor.DistrictCode ?? "—"));
        }
    }

    private static void EnsureApprover(PlanLevel level, Actor actor)
    {
        var approver = PlanRules.Approver(level);
        if (!actor.IsOperator && !actor.Roles.Contains(approver))
        {
            throw new AccessDeniedException(Messages.PlanApproverOnly(ApprovingBody(level), Projects.ProjectRegistry.RoleName(approver)));
        }
    }

    private static void EnsureStatus(Plan plan, string action, params PlanStatus[] allowed)
    {
        if (!allowed.Contains(plan.Status))
        {
            throw new DomainValidationException([new FieldError("status", Messages.PlanWrongStatus(action, StatusName(plan.Status)))]);
        }
    }

    private static void ThrowIf(List<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
    }

    private static string Snapshot(Plan p) => JsonSerializer.Serialize(new
    {
        level = p.Level.ToString(),
        name = p.Name,
        districtCode = p.DistrictCode,
        parentCode = p.ParentCode,
        p.StartYear,
        p.EndYear,
        projectCodes = p.ProjectCodes,
        status = p.Status.ToString(),
        approvedBy = p.ApprovedBy,
        returnReason = p.ReturnReason,
    });

    private void Audit(string action, Actor actor, Plan plan, string? before) =>
        db.Audit(new AuditEntry(clock.GetUtcNow(), actor.Name, actor.Roles.Select(r => r.Name()).FirstOrDefault(), db.AuditSource, action, plan.Code, before, Snapshot(plan)));
}

/// <summary>A plan that does not exist (or that the asking district may not see).</summary>
public sealed class PlanNotFoundException(string code) : Exception(Messages.PlanNotFound(code))
{
    public PlanNotFoundException()
        : this("")
    {
    }

    public PlanNotFoundException(string message, Exception innerException)
        : this(message) => _ = innerException;

    public string Code { get; } = code;
}
