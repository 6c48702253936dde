using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace Fuchun.Domain.Analysis;

/// <summary>
/// A polygon that parcels are clipped to (the project area, a zone, the development boundary): whole parcels
/// inside it keep their own area, parcels across its edge are cut and the piece measured.
/// </summary>
public sealed class AreaScope : IDisposable
{
    private readonly ThreadLocal<IPreparedGeometry> prepared;
    private readonly Func<Geometry, double> area;

    /// <param name="geometry">The scope's polygon(s).</param>
    /// <param name="area">How a piece is measured (the ellipsoidal area on CGCS2000, for the platform).</param>
    public AreaScope(Geometry geometry, Func<Geometry, double> area)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Geometry = geometry;
        Envelope = geometry.EnvelopeInternal;
        this.area = area;
        // Prepared geometries build their indexes lazily and are not safe to share between threads.
        prepared = new ThreadLocal<IPreparedGeometry>(() => PreparedGeometryFactory.Prepare(geometry));
    }

    public Geometry Geometry { get; }

    public void Dispose() => prepared.Dispose();

    public Envelope Envelope { get; }

    /// <summary>True when <paramref name="geometry"/> has a point in common with the scope (touching counts).</summary>
    public bool Intersects(Geometry geometry) =>
        Envelope.Intersects(geometry.EnvelopeInternal) && prepared.Value!.Intersects(geometry);

    /// <summary>
    /// The part of <paramref name="geometry"/> (whose whole area is <paramref name="wholeArea"/>) inside the scope and
    /// its area; null and 0 when nothing of it with area is inside.
    /// </summary>
    public (Geometry? Piece, double Area) Clip(Geometry geometry, double wholeArea)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (!Envelope.Intersects(geometry.EnvelopeInternal))
        {
            return (null, 0);
        }

        var p = prepared.Value!;
        if (p.Covers(geometry))
        {
            return (geometry, wholeArea);
        }

        if (!p.Intersects(geometry))
        {
            return (null, 0);
        }

        var piece = Polygonal(OverlayNGRobust.Overlay(geometry, Geometry, SpatialFunction.Intersection));
        var a = piece is null ? 0 : area(piece);
        return a > 0 ? (piece, a) : (null, 0);
    }

    /// <summary>The polygonal part of an overlay result (touching lines and points carry no area).</summary>
    internal static Geometry? Polygonal(Geometry result)
    {
        if (result.IsEmpty)
        {
            return null;
        }

        if (result is Polygon or MultiPolygon)
        {
            return result;
        }

        var polygons = Enumerable.Range(0, result.NumGeometries).Select(result.GetGeometryN).OfType<Polygon>().Where(p => !p.IsEmpty).ToArray();
        return polygons.Length == 0 ? null : result.Factory.CreateMultiPolygon(polygons);
    }
}
