using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Implementation;

namespace Fuchun.Spatial;

/// <summary>
/// A coordinate sequence's x, y as one interleaved array: read in place where the sequence is held that way (every
/// import's rings are), so the hot loops over a million parcels neither copy nor call per ordinate.
/// </summary>
public static class FlatCoordinates
{
    /// <summary>The sequence's own array when it holds exactly x, y per point (no z, no m).</summary>
    public static bool TryGet(CoordinateSequence sequence, out double[] xy)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        if (sequence is PackedDoubleCoordinateSequence { Dimension: 2, Measures: 0 } packed)
        {
            xy = packed.GetRawCoordinates();
            return true;
        }

        xy = [];
        return false;
    }

    /// <summary>The sequence's own array (see <see cref="TryGet"/>), or else its x, y copied into a new one.</summary>
    public static double[] Of(CoordinateSequence sequence)
    {
        if (TryGet(sequence, out var xy))
        {
            return xy;
        }

        xy = new double[2 * sequence.Count];
        for (var i = 0; i < sequence.Count; i++)
        {
            (xy[2 * i], xy[(2 * i) + 1]) = (sequence.GetX(i), sequence.GetY(i));
        }

        return xy;
    }

    /// <summary>
    /// A multipolygon of one polygon without holes whose shell is <paramref name="shell"/> (interleaved x, y, closed),
    /// held flat: the array is the ring's sequence, not copied.
    /// </summary>
    public static MultiPolygon Polygon(GeometryFactory factory, double[] shell)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(shell);
        var ring = factory.CreateLinearRing(new PackedDoubleCoordinateSequence(shell, 2, 0));
        // The one empty array for every polygon without holes (NetTopologySuite would make one for each).
        return factory.CreateMultiPolygon([factory.CreatePolygon(ring, [])]);
    }

    /// <summary>The box of a ring's (or any sequence's) x, y pairs; NaN for an empty one.</summary>
    public static (double MinX, double MaxX, double MinY, double MaxY) Bounds(ReadOnlySpan<double> xy)
    {
        if (xy.Length < 2)
        {
            return (double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var (minX, minY, maxX, maxY) = (xy[0], xy[1], xy[0], xy[1]);
        for (var i = 2; i + 1 < xy.Length; i += 2)
        {
            (minX, maxX) = (Math.Min(minX, xy[i]), Math.Max(maxX, xy[i]));
            (minY, maxY) = (Math.Min(minY, xy[i + 1]), Math.Max(maxY, xy[i + 1]));
        }

        return (minX, maxX, minY, maxY);
    }

    /// <summary>
    /// The box of a polygonal geometry, from its shells (holes lie within), read flat where they are held flat; an
    /// empty geometry's box is inverted (minimum above maximum).
    /// </summary>
    public static (double MinX, double MaxX, double MinY, double MaxY) Bounds(MultiPolygon geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var box = (MinX: double.PositiveInfinity, MaxX: double.NegativeInfinity, MinY: double.PositiveInfinity, MaxY: double.NegativeInfinity);
        foreach (var part in geometry.Geometries)
        {
            var (minX, maxX, minY, maxY) = Bounds(Of(((Polygon)part).Shell.CoordinateSequence));
            if (!double.IsNaN(minX))
            {
                box = (Math.Min(box.MinX, minX), Math.Max(box.MaxX, maxX), Math.Min(box.MinY, minY), Math.Max(box.MaxY, maxY));
            }
        }

        return box;
    }
}
