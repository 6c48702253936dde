using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.Polygonize;
using NetTopologySuite.Triangulate;

namespace Fuchun.Spatial.Generation;

/// <summary>One piece of a generated tiling: a polygon and, for strip pieces, the index of the strip it came from.</summary>
public sealed record MosaicPiece(Polygon Polygon, int? StripIndex);

/// <summary>
/// Tiles an area into irregular Voronoi cells cut by linear strips (roads, ditches, rivers), so that the pieces
/// form a valid polygonal coverage: they share edges exactly, do not overlap and leave no gap. All the linework
/// (area boundary, cell edges, strip outlines) is noded once, snap-rounded to <see cref="GridSize"/>, and
/// polygonised: noding each piece in its own overlay would leave T-junctions where strips meet.
/// </summary>
public static class MosaicTiler
{
    /// <summary>The snapping grid of the tiling, in the units of the input (metres).</summary>
    public const double GridSize = 0.001;

    private static readonly PrecisionModel Grid = new(1 / GridSize);

    /// <summary>
    /// Tiles <paramref name="area"/> with the Voronoi cells of <paramref name="seeds"/>, cut by the strips
    /// (each strip a polygon; where strips overlap, the earlier one wins).
    /// </summary>
    public static IReadOnlyList<MosaicPiece> Tile(Geometry area, IReadOnlyList<Coordinate> seeds, IReadOnlyList<Geometry> strips)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(strips);
        var factory = LocalFrame.MetricFactory;
        var preparedArea = PreparedGeometryFactory.Prepare(area);

        var builder = new VoronoiDiagramBuilder();
        builder.SetSites([.. seeds]);
        var env = area.EnvelopeInternal.Copy();
        env.ExpandBy(Math.Max(env.Width, env.Height) * 0.1);
        builder.ClipEnvelope = env;
        var cells = builder.GetDiagram(factory);

        var lines = new List<Geometry> { area.Boundary };
        var preparedStrips = new List<IPreparedGeometry>();
        foreach (var strip in strips)
        {
            var clipped = OverlayNGRobust.Overlay(strip, area, SpatialFunction.Intersection);
            lines.Add(clipped.Boundary);
            preparedStrips.Add(PreparedGeometryFactory.Prepare(clipped));
        }

        for (var i = 0; i < cells.NumGeometries; i++)
        {
            var cell = cells.GetGeometryN(i);
            if (preparedArea.Intersects(cell))
            {
                lines.Add(cell.Boundary);
            }
        }

        var noded = UnaryUnionNG.Union(factory.BuildGeometry(lines), Grid);
        var polygonizer = new Polygonizer(extractOnlyPolygonal: false);
        polygonizer.Add(noded);

        var pieces = new List<MosaicPiece>();
        foreach (var face in polygonizer.GetPolygons().Cast<Polygon>())
        {
            var inside = face.InteriorPoint;
            // Every face inside the area is a piece, however small: dropping slivers would leave gaps.
            if (face.Area <= 0 || !preparedArea.Contains(inside))
            {
                continue;
            }

            var strip = preparedStrips.FindIndex(s => s.Contains(inside));
            pieces.Add(new MosaicPiece(face, strip >= 0 ? strip : null));
        }

        return pieces;
    }
}
