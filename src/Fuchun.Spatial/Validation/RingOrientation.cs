using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace Fuchun.Spatial.Validation;

/// <summary>
/// Whether a ring runs counter-clockwise, answered as NetTopologySuite's <see cref="Orientation.IsCCW(CoordinateSequence)"/>
/// answers it (the top of the ring: the turn there, exactly, or the direction along a flat top), read straight
/// from a flat x, y array.
/// </summary>
/// <remarks>
/// NetTopologySuite's version reads a packed sequence through <c>GetCoordinate</c>, which builds a
/// <see cref="Coordinate"/> for every vertex of the ring (and a weak reference to keep them): an import of a
/// million parcels asked it twice per parcel and allocated some two gigabytes doing so. Same steps, same answers,
/// including for rings that are not valid (a test holds the two together on those too).
/// </remarks>
public static class RingOrientation
{
    /// <summary>
    /// The answer for a ring given as interleaved x, y, closed (first point repeated at the end); false for a flat
    /// ring or one of fewer than four points, as NetTopologySuite answers.
    /// </summary>
    public static bool IsCounterClockwise(ReadOnlySpan<double> xy)
    {
        var points = (xy.Length / 2) - 1;
        if (points < 3)
        {
            return false;
        }

        // The top of the ring: the last point that ends a rising edge at or above every point before it.
        var (top, belowTop) = (0, -1);
        var (highest, previousY) = (xy[1], xy[1]);
        for (var i = 1; i <= points; i++)
        {
            var y = xy[(2 * i) + 1];
            if (y > previousY && y >= highest)
            {
                (top, belowTop, highest) = (i, i - 1, y);
            }

            previousY = y;
        }

        if (top == 0)
        {
            return false;   // flat
        }

        // Where the ring first falls again after the top, and the point it falls from.
        var fallsTo = top;
        do
        {
            fallsTo = (fallsTo + 1) % points;
        }
        while (fallsTo != top && xy[(2 * fallsTo) + 1] == highest);

        var fallsFrom = fallsTo > 0 ? fallsTo - 1 : points - 1;
        if (!Same(xy, top, fallsFrom))
        {
            // A flat top: the direction along it decides.
            return xy[2 * fallsFrom] - xy[2 * top] < 0;
        }

        // A pointed top: the turn there decides, unless the ring doubles back on itself (A-B-A).
        if (Same(xy, belowTop, top) || Same(xy, fallsTo, top) || Same(xy, belowTop, fallsTo))
        {
            return false;
        }

        return CGAlgorithmsDD.OrientationIndex(
            xy[2 * belowTop], xy[(2 * belowTop) + 1], xy[2 * top], xy[(2 * top) + 1], xy[2 * fallsTo], xy[(2 * fallsTo) + 1]) == (int)OrientationIndex.CounterClockwise;
    }

    private static bool Same(ReadOnlySpan<double> xy, int i, int j) => xy[2 * i] == xy[2 * j] && xy[(2 * i) + 1] == xy[(2 * j) + 1];

    /// <summary>The answer for a ring held in any sequence (read in place where it is held flat).</summary>
    public static bool IsCounterClockwise(CoordinateSequence ring) => IsCounterClockwise(FlatCoordinates.Of(ring));
}
