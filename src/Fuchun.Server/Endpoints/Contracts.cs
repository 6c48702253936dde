using System.Text.Json;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Projects;
using Fuchun.Spatial.Area;

namespace Fuchun.Server.Endpoints;

/// <summary>A project's facts as the API takes them, for create and edit.</summary>
public sealed record ProjectRequest
{
    public string Code { get; init; } = "";

    public string Name { get; init; } = "";

    /// <summary>6-digit district code.</summary>
    public string DistrictCode { get; init; } = "";

    public IReadOnlyList<string> TownshipCodes { get; init; } = [];

    public bool IsPilot { get; init; }

    public DateOnly? ApprovedOn { get; init; }

    public DateOnly? PlannedStart { get; init; }

    public DateOnly? PlannedCompletion { get; init; }

    public InvestmentMode InvestmentMode { get; init; }

    public IReadOnlyList<FundingSource> FundingSources { get; init; } = [];

    /// <summary>Planned total investment, 万元.</summary>
    public decimal? PlannedInvestmentWanYuan { get; init; }

    /// <summary>Optional on create and edit: the project area as GeoJSON (CGCS2000 longitude/latitude).</summary>
    public JsonElement? ProjectArea { get; init; }

    /// <summary>Optional on create and edit (with <see cref="ProjectArea"/>): zones as a GeoJSON FeatureCollection with <c>zone_id</c> and <c>name</c> properties.</summary>
    public JsonElement? Zones { get; init; }

    public ProjectDetails ToDetails() => new()
    {
        Code = Code ?? "",
        Name = Name ?? "",
        DistrictCode = DistrictCode ?? "",
        TownshipCodes = TownshipCodes ?? [],
        IsPilot = IsPilot,
        ApprovedOn = ApprovedOn,
        PlannedStart = PlannedStart,
        PlannedCompletion = PlannedCompletion,
        InvestmentMode = InvestmentMode,
        FundingSources = FundingSources ?? [],
        PlannedInvestmentWanYuan = PlannedInvestmentWanYuan,
    };
}

/// <summary>New geometry for a project: the area and its zones, both GeoJSON.</summary>
public sealed record GeometryRequest(JsonElement ProjectArea, JsonElement? Zones);

/// <summary>A stage move: on to the next stage, or back one with a reason.</summary>
/// <param name="Target">The stage to move to.</param>
/// <param name="Comment">A remark; the reason when sending back.</param>
/// <param name="Waiver">A reason to pass a gate despite a failing rule; taken only from a role the gate lets waive.</param>
public sealed record StageRequest(ProjectStage Target, string? Comment, string? Waiver = null);

/// <summary>A project in lists.</summary>
public sealed record ProjectSummary(
    string Code, string Name, string DistrictCode, string DistrictName, bool IsPilot, ProjectStage Stage, string StageName,
    int TownshipCount, int ZoneCount, double AreaM2, double AreaMu, DateOnly? ApprovedOn, DateTimeOffset UpdatedAt);

/// <summary>A zone of a project, without geometry.</summary>
public sealed record ZoneSummary(string ZoneId, string Name, double AreaM2, double AreaMu);

/// <summary>A township reference.</summary>
public sealed record TownshipRef(string Code, string Name);

/// <summary>One project in full (geometry comes from <c>/map</c>).</summary>
public sealed record ProjectResponse(
    string Code, string Name, string DistrictCode, string DistrictName, IReadOnlyList<TownshipRef> Townships, bool IsPilot,
    ProjectStage Stage, string StageName, ProjectStage? NextStage, ProjectStage? PreviousStage,
    DateOnly? ApprovedOn, DateOnly? PlannedStart, DateOnly? PlannedCompletion,
    InvestmentMode InvestmentMode, IReadOnlyList<FundingSource> FundingSources, decimal? PlannedInvestmentWanYuan,
    double AreaM2, double AreaMu, double AreaHectares, IReadOnlyList<ZoneSummary> Zones,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, ProvincialApprovalResponse? ProvincialApproval = null);

/// <summary>The province's approval of a PBF adjustment beyond the city's limits (paragraph (十)), as the city recorded it.</summary>
public sealed record ProvincialApprovalResponse(string ApprovedOn, string DocumentNumber, string RecordedBy);

/// <summary>The province's approval to record: its date and document number.</summary>
public sealed record ProvincialApprovalRequest(DateOnly ApprovedOn, string DocumentNumber);

/// <summary>One entry of a project's history.</summary>
public sealed record ChangeResponse(long Id, DateTimeOffset At, string Actor, ProjectChangeKind Kind, JsonElement? Before, JsonElement? After, string? Comment);

/// <summary>A page of results.</summary>
public sealed record PageResponse<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>A district with its township count and area.</summary>
public sealed record DistrictResponse(string Code, string Name, double AreaM2, double AreaMu, int TownshipCount);

/// <summary>A lifecycle stage with its Chinese name.</summary>
/// <summary>A lifecycle stage: its name, its place, who decides it (moves a project on from it or sends it back) and its gate.</summary>
public sealed record StageResponse(ProjectStage Stage, string Name, int Order, string DecidedBy, string DecidedByName, GateResponse? Gate);

/// <summary>The gate a project must pass to leave a stage: its name, the layer it checks and who may waive it.</summary>
public sealed record GateResponse(string Id, string Name, string Layer, string Basis, IReadOnlyList<string> WaiverRoles, IReadOnlyList<string> WaiverRoleCodes);

/// <summary>
/// A project layer; <c>tilesMinZoom</c> is the lowest zoom at which its tiles carry anything, <c>parcelTilesMinZoom</c>
/// the lowest at which they carry the parcels one by one (below it, a large layer's generalised overview).
/// </summary>
public sealed record LayerResponse(int Id, string Kind, string Name, int FeatureCount, double AreaM2, double AreaMu, int TilesMinZoom, int ParcelTilesMinZoom)
{
    public static LayerResponse Of(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return new(layer.Id, layer.Kind.PackageName(), layer.Name, layer.FeatureCount, layer.AreaM2, Units.Mu(layer.AreaM2), layer.TilesMinZoom, layer.ParcelTilesMinZoom);
    }
}

internal static class Units
{
    public static double Mu(double m2) => Math.Round(AreaUnits.ToMu(m2), 4);

    public static double Hectares(double m2) => Math.Round(AreaUnits.ToHectares(m2), 4);
}
