using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;

namespace Fuchun.Spatial.Validation;

/// <summary>
/// Checks that a geometry is a valid, non-empty (multi)polygon in geographic CGCS2000 coordinates
/// (longitude −180…180, latitude −90…90) with finite coordinates.
/// </summary>
public static class PolygonValidator
{
    /// <summary>The first problem found, or <c>null</c> when the geometry is a valid areal geometry.</summary>
    public static GeometryProblem? Validate(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry is not (Polygon or MultiPolygon))
        {
            return new GeometryProblem(GeometryProblemKind.NotPolygonal, null, geometry.GeometryType);
        }

        if (geometry.IsEmpty)
        {
            return new GeometryProblem(GeometryProblemKind.Empty, null, geometry.GeometryType);
        }

        foreach (var c in geometry.Coordinates)
        {
            if (!double.IsFinite(c.X) || !double.IsFinite(c.Y))
            {
                return new GeometryProblem(GeometryProblemKind.NonFiniteCoordinate, null, $"{c.X}, {c.Y}");
            }

            if (c.X is < -180 or > 180 || c.Y is < -90 or > 90)
            {
                return new GeometryProblem(GeometryProblemKind.OutsideRange, c.Copy(), $"{c.X}, {c.Y}");
            }
        }

        var op = new IsValidOp(geometry);
        if (op.IsValid)
        {
            return null;
        }

        var error = op.ValidationError;
        var kind = error.ErrorType switch
        {
            TopologyValidationErrors.SelfIntersection or TopologyValidationErrors.RingSelfIntersection => GeometryProblemKind.SelfIntersection,
            TopologyValidationErrors.RingNotClosed => GeometryProblemKind.RingNotClosed,
            TopologyValidationErrors.TooFewPoints => GeometryProblemKind.TooFewPoints,
            TopologyValidationErrors.HoleOutsideShell => GeometryProblemKind.HoleOutsideShell,
            TopologyValidationErrors.NestedShells => GeometryProblemKind.NestedShells,
            TopologyValidationErrors.DisconnectedInteriors => GeometryProblemKind.DisconnectedInterior,
            _ => GeometryProblemKind.Invalid,
        };
        return new GeometryProblem(kind, error.Coordinate?.Copy(), error.Message);
    }
}
