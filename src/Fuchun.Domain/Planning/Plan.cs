using Fuchun.Domain.Governance;

namespace Fuchun.Domain.Planning;

/// <summary>The levels of the consolidation plan system of paragraph (七), from the city's outline down to the year's plan.</summary>
public enum PlanLevel
{
    /// <summary>市级整治规划纲要: the city's outline, compiled by the city bureau.</summary>
    CityOutline,

    /// <summary>区县（市）整治规划: a district's plan, approved by the city government.</summary>
    District,

    /// <summary>整治片区规划: an area plan of a district, approved by the city's leading group.</summary>
    Area,

    /// <summary>年度实施计划: a district's annual implementation plan, approved by the city's leading group; lists the projects it approves (立项) that year.</summary>
    Annual,
}

/// <summary>Where a plan is on its way to approval.</summary>
public enum PlanStatus
{
    /// <summary>编制中: being written; may be changed.</summary>
    Draft,

    /// <summary>报批中: submitted to the approving body; fixed until approved or returned.</summary>
    Submitted,

    /// <summary>已批准.</summary>
    Approved,

    /// <summary>退回修改: returned with a reason; may be changed and submitted again.</summary>
    Returned,
}

/// <summary>What a plan says, as its author writes it.</summary>
public sealed record PlanDraft(
    string Code, PlanLevel Level, string Name, string? DistrictCode, string? ParentCode, int StartYear, int EndYear, IReadOnlyList<string> ProjectCodes);

/// <summary>
/// A consolidation plan (paragraph (七)): its level, district, parent plan, period, the projects an annual plan
/// approves, and its approval — by whom it was approved, which body that stands for, and when.
/// </summary>
public sealed class Plan
{
    public Plan(PlanDraft draft, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(draft);
        Code = draft.Code;
        Level = draft.Level;
        Name = draft.Name;
        CreatedAt = UpdatedAt = at;
        Apply(draft, at);
    }

    private Plan()
    {
        Code = Name = "";
    }

    public int Id { get; private set; }

    /// <summary>The plan's number, unique (for example <c>330111-ND-2026</c>).</summary>
    public string Code { get; private set; }

    public PlanLevel Level { get; private set; }

    public string Name { get; private set; }

    /// <summary>The district a district, area or annual plan is of; null for the city's outline.</summary>
    public string? DistrictCode { get; private set; }

    /// <summary>The plan this one carries down (传导): the outline for a district plan, the district plan for area and annual plans.</summary>
    public string? ParentCode { get; private set; }

    public int StartYear { get; private set; }

    public int EndYear { get; private set; }

    /// <summary>For an annual plan, the projects it approves (立项) in its year.</summary>
    public List<string> ProjectCodes { get; private set; } = [];

    public PlanStatus Status { get; private set; }

    /// <summary>The account that recorded the approval.</summary>
    public string? ApprovedBy { get; private set; }

    public DateTimeOffset? ApprovedAt { get; private set; }

    /// <summary>Why the plan was last returned.</summary>
    public string? ReturnReason { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public bool IsEditable => Status is PlanStatus.Draft or PlanStatus.Returned;

    public void Apply(PlanDraft draft, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(draft);
        Name = draft.Name;
        DistrictCode = draft.DistrictCode;
        ParentCode = draft.ParentCode;
        StartYear = draft.StartYear;
        EndYear = draft.EndYear;
        ProjectCodes = [.. draft.ProjectCodes.Distinct().Order(StringComparer.Ordinal)];
        UpdatedAt = at;
    }

    public void Submit(DateTimeOffset at)
    {
        Status = PlanStatus.Submitted;
        UpdatedAt = at;
    }

    public void Approve(string by, DateTimeOffset at)
    {
        Status = PlanStatus.Approved;
        ApprovedBy = by;
        ApprovedAt = at;
        ReturnReason = null;
        UpdatedAt = at;
    }

    public void Return(string reason, DateTimeOffset at)
    {
        Status = PlanStatus.Returned;
        ReturnReason = reason;
        UpdatedAt = at;
    }
}

/// <summary>Who writes and who approves each level of plan (paragraph (七)), and how the levels hang together.</summary>
public static class PlanRules
{
    /// <summary>The role that writes and submits plans of <paramref name="level"/>: the city bureau the outline, the district the rest.</summary>
    public static Role Author(PlanLevel level) => level == PlanLevel.CityOutline ? Role.CityBureau : Role.DistrictOfficer;

    /// <summary>
    /// The role that records the approval: the city bureau records the city government's approval of the outline and
    /// the district plans; the leading group's reviewer approves area and annual plans.
    /// </summary>
    public static Role Approver(PlanLevel level) => level is PlanLevel.CityOutline or PlanLevel.District ? Role.CityBureau : Role.LeadingGroup;

    /// <summary>The level a plan of <paramref name="level"/> carries down from; null for the outline.</summary>
    public static PlanLevel? ParentLevel(PlanLevel level) => level switch
    {
        PlanLevel.District => PlanLevel.CityOutline,
        PlanLevel.Area or PlanLevel.Annual => PlanLevel.District,
        _ => null,
    };

    /// <summary>The year a move happening at <paramref name="at"/> falls in, in Beijing time.</summary>
    public static int YearOf(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).Year;
}
