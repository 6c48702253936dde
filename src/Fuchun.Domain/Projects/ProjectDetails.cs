namespace Fuchun.Domain.Projects;

/// <summary>
/// The facts of a project that users enter and edit (everything but geometry and stage). It is also the
/// snapshot recorded before and after each edit in the project's history.
/// </summary>
public sealed record ProjectDetails
{
    /// <summary>The project code, unique in the city, for example <c>330111-2024-001</c>.</summary>
    public required string Code { get; init; }

    public required string Name { get; init; }

    /// <summary>6-digit district code.</summary>
    public required string DistrictCode { get; init; }

    /// <summary>9-digit codes of the townships the project spans.</summary>
    public IReadOnlyList<string> TownshipCodes { get; init; } = [];

    /// <summary>True for a cross-township pilot (跨乡镇土地综合整治试点).</summary>
    public bool IsPilot { get; init; }

    /// <summary>Date of approval (立项), if approved.</summary>
    public DateOnly? ApprovedOn { get; init; }

    public DateOnly? PlannedStart { get; init; }

    public DateOnly? PlannedCompletion { get; init; }

    public InvestmentMode InvestmentMode { get; init; }

    public IReadOnlyList<FundingSource> FundingSources { get; init; } = [];

    /// <summary>Planned total investment, 万元 (ten thousand yuan).</summary>
    public decimal? PlannedInvestmentWanYuan { get; init; }
}
