using System.Collections.Concurrent;
using Fuchun.Spatial;
using Fuchun.Spatial.IO;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace Fuchun.Domain.Layers;

/// <summary>
/// How a parcel layer is taken: PBF and high-standard flags from separate polygon layers (永久基本农田图斑
/// YJJBNTTB, 高标准农田 and the like) instead of attributes, and whether invalid geometry is repaired.
/// </summary>
public sealed class ParcelImportOptions
{
    /// <summary>When set, a parcel is PBF if at least half of it lies in this layer's polygons.</summary>
    public FlagOverlay? PbfLayer { get; init; }

    /// <summary>When set, a parcel is high-standard farmland if at least half of it lies in this layer's polygons.</summary>
    public FlagOverlay? HighStandardLayer { get; init; }

    /// <summary>Repair invalid geometry (self-intersections, wrongly nested or oriented rings) and report each repair.</summary>
    public bool Repair { get; init; }

    /// <summary>Each repair made, as "feature N: what was wrong and what was done" (thread-safe).</summary>
    public ConcurrentQueue<ImportProblem> Repairs { get; } = new();
}

/// <summary>
/// A polygon layer used to set a flag by overlay: a parcel is flagged when the share of its area inside the layer
/// reaches <see cref="Share"/> (one half: a parcel straddling the line goes to where most of it is).
/// </summary>
public sealed class FlagOverlay
{
    private readonly STRtree<IPreparedGeometry> index = new();

    private FlagOverlay(string source, IEnumerable<Geometry> polygons)
    {
        Source = source;
        foreach (var p in polygons)
        {
            index.Insert(p.EnvelopeInternal, PreparedGeometryFactory.Prepare(p));
        }

        index.Build();
    }

    public string Source { get; }

    public const double Share = 0.5;

    /// <summary>Reads a polygon layer (any format, any supported CRS) and takes it to CGCS2000.</summary>
    public static FlagOverlay Read(string path)
    {
        var layer = GeometryFiles.Read(path);
        var projection = layer.Crs.IsGeographic ? null : layer.Crs.Projection();
        var polygons = layer.Geometries
            .Where(g => g is Polygon or MultiPolygon)
            .Select(g => projection is null ? Cgcs2000.Factory.CreateGeometry(g) : CoordinateMap.Apply(g, Cgcs2000.Factory, projection.Inverse))
            .Select(g => g.IsValid ? g : NetTopologySuite.Geometries.Utilities.GeometryFixer.Fix(g));
        return new FlagOverlay(layer.Source, polygons);
    }

    /// <summary>Whether at least <see cref="Share"/> of the parcel's area lies in the layer.</summary>
    public bool Covers(Geometry parcel)
    {
        ArgumentNullException.ThrowIfNull(parcel);
        var area = parcel.Area;
        if (area <= 0)
        {
            return false;
        }

        var inside = 0.0;
        foreach (var candidate in index.Query(parcel.EnvelopeInternal))
        {
            if (candidate.Covers(parcel))
            {
                return true;
            }

            if (candidate.Intersects(parcel))
            {
                inside += candidate.Geometry.Intersection(parcel).Area;
            }
        }

        return inside >= Share * area;
    }
}
