using NetTopologySuite.Geometries;

namespace Fuchun.Spatial.Validation;

/// <summary>What is wrong with a geometry, in terms a caller can turn into a message.</summary>
public enum GeometryProblemKind
{
    Empty,
    NotPolygonal,
    NonFiniteCoordinate,
    SelfIntersection,
    RingNotClosed,
    TooFewPoints,
    HoleOutsideShell,
    NestedShells,
    DisconnectedInterior,
    OutsideRange,
    Invalid,
}

/// <summary>One problem found in a geometry, with the location (longitude, latitude) where it was found.</summary>
public sealed record GeometryProblem(GeometryProblemKind Kind, Coordinate? Location, string Detail);
