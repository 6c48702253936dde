using Fuchun.Domain.Analysis;
using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Policy;

/// <summary>An enterprise relocated out of the development boundary (R10).</summary>
public sealed record EnterpriseRelocation(string Name, double DemolishedAreaM2, double ReplacementAreaM2);

/// <summary>A recorded compensation for lost water or forest (R12): class <c>water</c> or <c>forest</c>.</summary>
public sealed record Compensation(string Class, double AreaM2);

/// <summary>A PBF layout adjustment (R05–R07): <c>in</c> (补划) or <c>out</c> (调出), its polygon and effective date.</summary>
public sealed record PbfAdjustment(string Id, string Direction, Geometry Geometry, double AreaM2, DateOnly? EffectiveOn);

/// <summary>Planned facility or agri-tourism land (R09): kind <c>facility</c> or <c>agritourism</c>.</summary>
public sealed record PlannedLand(string Kind, Geometry Geometry);

/// <summary>A township's polygon (R14).</summary>
public sealed record TownshipArea(string Code, string Name, Geometry Geometry);

/// <summary>
/// Project facts as stated; null means "not stated" (a rule that needs it is <c>insufficient_data</c>, never a
/// default). Lists are null when not stated and empty when stated as none.
/// </summary>
public sealed record ProjectFacts(
    bool? Pilot, DateOnly? ApprovedOn, DateOnly? PlannedCompletion, bool? ProvincialApprovalForPbfAdjustment,
    IReadOnlyList<EnterpriseRelocation>? Relocations, IReadOnlyList<Compensation>? Compensations);

/// <summary>
/// Everything the checks read. A reference layer that the project does not have is null (not stated), an empty
/// list means stated as none.
/// </summary>
public sealed record CheckInput(
    AnalysisInput Analysis,
    ProjectFacts Facts,
    Geometry? IndustrialParks = null,
    IReadOnlyList<PbfAdjustment>? PbfAdjustments = null,
    IReadOnlyList<PlannedLand>? PlannedLand = null,
    IReadOnlyList<TownshipArea>? Townships = null);
