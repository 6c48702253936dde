using System.Text.RegularExpressions;
using Fuchun.Domain.Reference;
using Fuchun.Domain.Resources;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.Validation;
using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Projects;

/// <summary>A zone as submitted, before it is stored.</summary>
public sealed record ZoneInput(string ZoneCode, string Name, MultiPolygon Geometry);

/// <summary>The registry's input rules for project facts and geometry. Each returns every problem it finds.</summary>
public static partial class ProjectValidator
{
    /// <summary>The largest part of a zone (m², ellipsoidal) allowed outside its project area: numeric slivers only.</summary>
    public const double ZoneOutsideToleranceM2 = 0.01;

    [GeneratedRegex(@"^[0-9A-Za-z][0-9A-Za-z\-_]{2,39}$")]
    private static partial Regex CodePattern();

    public static IReadOnlyList<FieldError> ValidateDetails(ProjectDetails d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(d.Code))
        {
            errors.Add(new("code", Messages.Required()));
        }
        else if (!CodePattern().IsMatch(d.Code.Trim()))
        {
            errors.Add(new("code", Messages.CodeFormat()));
        }

        if (string.IsNullOrWhiteSpace(d.Name))
        {
            errors.Add(new("name", Messages.Required()));
        }
        else if (d.Name.Trim().Length > 200)
        {
            errors.Add(new("name", Messages.TooLong(200)));
        }

        var district = HangzhouReferenceData.FindDistrict(d.DistrictCode ?? "");
        if (district is null)
        {
            errors.Add(new("districtCode", Messages.UnknownDistrict(d.DistrictCode ?? "")));
        }

        foreach (var code in d.TownshipCodes)
        {
            var township = HangzhouReferenceData.Townships.FirstOrDefault(t => t.Code == code);
            if (township is null)
            {
                errors.Add(new("townshipCodes", Messages.UnknownTownship(code)));
            }
            else if (district is not null && township.DistrictCode != district.Code)
            {
                errors.Add(new("townshipCodes", Messages.TownshipNotInDistrict(township.Name, district.Name)));
            }
        }

        if (d.IsPilot && d.TownshipCodes.Distinct().Count() < 2)
        {
            errors.Add(new("townshipCodes", Messages.PilotNeedsTwoTownships()));
        }

        if (d.PlannedStart is { } start && d.PlannedCompletion is { } end && end < start)
        {
            errors.Add(new("plannedCompletion", Messages.CompletionBeforeStart()));
        }

        if (d.PlannedInvestmentWanYuan is < 0)
        {
            errors.Add(new("plannedInvestmentWanYuan", Messages.NotNegative()));
        }

        if (!Enum.IsDefined(d.InvestmentMode))
        {
            errors.Add(new("investmentMode", Messages.UnknownValue()));
        }

        if (d.FundingSources.Any(f => !Enum.IsDefined(f)))
        {
            errors.Add(new("fundingSources", Messages.UnknownValue()));
        }

        return errors;
    }

    /// <summary>
    /// Checks a project area and its zones: each a valid polygon, zone codes present and distinct, and every zone
    /// inside the project area.
    /// </summary>
    public static IReadOnlyList<FieldError> ValidateGeometry(MultiPolygon projectArea, IReadOnlyList<ZoneInput> zones)
    {
        ArgumentNullException.ThrowIfNull(projectArea);
        ArgumentNullException.ThrowIfNull(zones);
        var errors = new List<FieldError>();
        if (PolygonValidator.Validate(projectArea) is { } areaProblem)
        {
            errors.Add(new("projectArea", Describe(areaProblem)));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < zones.Count; i++)
        {
            var zone = zones[i];
            var field = $"zones[{i}]";
            if (string.IsNullOrWhiteSpace(zone.ZoneCode))
            {
                errors.Add(new($"{field}.zoneId", Messages.Required()));
            }
            else if (!seen.Add(zone.ZoneCode))
            {
                errors.Add(new($"{field}.zoneId", Messages.DuplicateZone(zone.ZoneCode)));
            }

            if (PolygonValidator.Validate(zone.Geometry) is { } problem)
            {
                errors.Add(new($"{field}.geometry", Describe(problem)));
            }
            else if (errors.All(e => e.Field != "projectArea"))
            {
                var outside = zone.Geometry.Difference(projectArea);
                var outsideM2 = EllipsoidalArea.OfGeometry(outside);
                if (outsideM2 > ZoneOutsideToleranceM2)
                {
                    errors.Add(new($"{field}.geometry", Messages.ZoneOutsideArea(zone.ZoneCode, AreaUnits.ToMu(outsideM2))));
                }
            }
        }

        return errors;
    }

    /// <summary>A user-facing description of a geometry problem, with its location.</summary>
    public static string Describe(GeometryProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var where = problem.Location is { } c ? Messages.At(c.X, c.Y) : "";
        return problem.Kind switch
        {
            GeometryProblemKind.Empty => Messages.GeometryEmpty(),
            GeometryProblemKind.NotPolygonal => Messages.GeometryNotPolygon(problem.Detail),
            GeometryProblemKind.NonFiniteCoordinate => Messages.GeometryNonFinite(problem.Detail),
            GeometryProblemKind.OutsideRange => Messages.GeometryOutsideRange(problem.Detail),
            GeometryProblemKind.SelfIntersection => Messages.GeometrySelfIntersection(where),
            GeometryProblemKind.RingNotClosed => Messages.GeometryRingNotClosed(where),
            GeometryProblemKind.TooFewPoints => Messages.GeometryTooFewPoints(where),
            _ => Messages.GeometryInvalid(problem.Detail, where),
        };
    }
}
