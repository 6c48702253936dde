using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Projects;

/// <summary>
/// A comprehensive land consolidation project (土地综合整治项目); with <see cref="IsPilot"/>, a cross-township pilot.
/// Geometry is in CGCS2000 geographic coordinates; areas are ellipsoidal, in m².
/// </summary>
public sealed class ConsolidationProject
{
    private readonly List<Zone> zones = [];

    private ConsolidationProject()
    {
        Code = Name = DistrictCode = "";
    }

    public int Id { get; private set; }

    public string Code { get; private set; }

    public string Name { get; private set; }

    public string DistrictCode { get; private set; }

    public List<string> TownshipCodes { get; private set; } = [];

    public bool IsPilot { get; private set; }

    public DateOnly? ApprovedOn { get; private set; }

    public DateOnly? PlannedStart { get; private set; }

    public DateOnly? PlannedCompletion { get; private set; }

    public InvestmentMode InvestmentMode { get; private set; }

    public List<FundingSource> FundingSources { get; private set; } = [];

    public decimal? PlannedInvestmentWanYuan { get; private set; }

    public ProjectStage Stage { get; private set; }

    /// <summary>The project area (项目区); null until its geometry is uploaded.</summary>
    public MultiPolygon? ProjectArea { get; private set; }

    /// <summary>Ellipsoidal area of <see cref="ProjectArea"/>, m² (0 without geometry).</summary>
    public double AreaM2 { get; private set; }

    public IReadOnlyList<Zone> Zones => zones;

    /// <summary>
    /// What the project's package states beyond the registry's fields, as a JSON object (<c>project.json</c> keys
    /// such as <c>provincial_approval_for_pbf_adjustment</c>, <c>enterprise_relocations</c>, <c>compensations</c>,
    /// and unknown keys, kept as given); null when nothing is stated.
    /// </summary>
    public string? StatedFactsJson { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>A new project in the reserve stage. Callers validate <paramref name="details"/> first.</summary>
    public static ConsolidationProject Create(ProjectDetails details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        var project = new ConsolidationProject { Stage = ProjectStage.Reserve, CreatedAt = now };
        project.Apply(details, now);
        return project;
    }

    /// <summary>The editable facts as they are now.</summary>
    public ProjectDetails Details => new()
    {
        Code = Code,
        Name = Name,
        DistrictCode = DistrictCode,
        TownshipCodes = [.. TownshipCodes],
        IsPilot = IsPilot,
        ApprovedOn = ApprovedOn,
        PlannedStart = PlannedStart,
        PlannedCompletion = PlannedCompletion,
        InvestmentMode = InvestmentMode,
        FundingSources = [.. FundingSources],
        PlannedInvestmentWanYuan = PlannedInvestmentWanYuan,
    };

    public void Apply(ProjectDetails details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        Code = details.Code.Trim();
        Name = details.Name.Trim();
        DistrictCode = details.DistrictCode;
        TownshipCodes = [.. details.TownshipCodes.Distinct().Order(StringComparer.Ordinal)];
        IsPilot = details.IsPilot;
        ApprovedOn = details.ApprovedOn;
        PlannedStart = details.PlannedStart;
        PlannedCompletion = details.PlannedCompletion;
        InvestmentMode = details.InvestmentMode;
        FundingSources = [.. details.FundingSources.Distinct()];
        PlannedInvestmentWanYuan = details.PlannedInvestmentWanYuan;
        UpdatedAt = now;
    }

    /// <summary>Replaces what the project's package states beyond the registry's fields.</summary>
    public void ReplaceStatedFacts(string? json, DateTimeOffset now)
    {
        StatedFactsJson = json;
        UpdatedAt = now;
    }

    /// <summary>Replaces the project area and every zone. Callers validate the geometry first.</summary>
    public void ReplaceGeometry(MultiPolygon projectArea, double areaM2, IEnumerable<Zone> newZones, DateTimeOffset now)
    {
        ProjectArea = projectArea;
        AreaM2 = areaM2;
        zones.Clear();
        zones.AddRange(newZones);
        UpdatedAt = now;
    }

    /// <summary>
    /// Moves the project to <paramref name="target"/> if the lifecycle allows it; returns the kind of move, or
    /// null (and changes nothing) when it does not.
    /// </summary>
    public TransitionKind? MoveTo(ProjectStage target, DateTimeOffset now)
    {
        var kind = ProjectLifecycle.Classify(Stage, target);
        if (kind is not null)
        {
            Stage = target;
            UpdatedAt = now;
        }

        return kind;
    }
}
