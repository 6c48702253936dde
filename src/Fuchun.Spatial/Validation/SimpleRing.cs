using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Fuchun.Spatial.Validation;

/// <summary>
/// A quick proof that a polygon's single ring is valid, for the parcels of a large import: a closed ring of at least
/// four distinct-in-turn points whose edges meet only where neighbours share their vertex. Every orientation test is
/// decided in floating point only when its error bound says the sign is certain; anything uncertain (collinear or
/// touching edges, repeated points, long rings) answers <c>false</c>, and the caller asks NetTopologySuite's full
/// validation instead, which also names the problem. So this never accepts a ring that validation would refuse.
/// </summary>
/// <remarks>
/// Written here because the full validation (noding the ring, building its topology graph) was one of the largest
/// costs of importing a million parcels, all of which are simple rings of 10–40 points; comparing every pair of
/// edges costs less at that size.
/// </remarks>
public static class SimpleRing
{
    /// <summary>Rings longer than this go to the full validation (pairwise tests grow with the square).</summary>
    public const int MaxPoints = 96;

    // A relative bound on the error of the 2×2 orientation determinant, with a wide margin over the exact
    // bound (3.3e-16): a sign beyond it is the sign of the exact determinant.
    private const double ErrorBound = 1e-14;

    /// <summary>
    /// True when the ring held as interleaved x, y is certainly a valid polygon shell on its own: closed, at least
    /// four points, finite, and simple.
    /// </summary>
    // Compiled optimised at its first call: vector code is not in the ReadyToRun image.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsCertainlySimple(ReadOnlySpan<double> xy)
    {
        var n = xy.Length / 2;
        if (n is < 4 or > MaxPoints || xy[0] != xy[2 * (n - 1)] || xy[1] != xy[(2 * n) - 1])
        {
            return false;
        }

        var edges = n - 1;
        // The points as rows of x and of y, the first two again after the last (the turns at the closing point),
        // then each edge's bounding box as four rows (min x, max x, min y, max y) padded with boxes that meet
        // nothing: everything after is done four edges at a time.
        var stride = (edges + 7) & ~3;
        Span<double> rows = stackalloc double[6 * stride];
        var x = rows[..stride];
        var y = rows[stride..(2 * stride)];
        for (var i = 0; i < edges; i++)
        {
            (x[i], y[i]) = (xy[2 * i], xy[(2 * i) + 1]);
        }

        (x[edges], y[edges], x[edges + 1], y[edges + 1]) = (x[0], y[0], x[1], y[1]);

        // Neighbouring edges share one vertex and must turn certainly (no spike, no straight run, no repeat). Every
        // point takes part in a turn, and a NaN or an infinity leaves its turns uncertain: so the ring is finite too.
        var k = 0;
        for (; k + 4 <= edges; k += 4)
        {
            if (!TurnsCertainly(x, y, k))
            {
                return false;
            }
        }

        for (; k < edges; k++)
        {
            if (Orient(x[k], y[k], x[k + 1], y[k + 1], x[k + 2], y[k + 2]) == 0)
            {
                return false;
            }
        }

        var minX = rows[(2 * stride)..(3 * stride)];
        var maxX = rows[(3 * stride)..(4 * stride)];
        var minY = rows[(4 * stride)..(5 * stride)];
        var maxY = rows[(5 * stride)..];
        for (k = 0; k < edges; k += 4)
        {
            var (x0, x1) = (Vector256.Create(x[k..]), Vector256.Create(x[(k + 1)..]));
            var (y0, y1) = (Vector256.Create(y[k..]), Vector256.Create(y[(k + 1)..]));
            Vector256.Min(x0, x1).CopyTo(minX[k..]);
            Vector256.Max(x0, x1).CopyTo(maxX[k..]);
            Vector256.Min(y0, y1).CopyTo(minY[k..]);
            Vector256.Max(y0, y1).CopyTo(maxY[k..]);
        }

        minX[edges..].Fill(double.PositiveInfinity);
        maxX[edges..].Fill(double.NegativeInfinity);
        minY[edges..].Fill(double.PositiveInfinity);
        maxY[edges..].Fill(double.NegativeInfinity);

        // Edges i and j with j beyond i's neighbours: a pair is only looked at when their boxes meet.
        for (var i = 0; i < edges - 2; i++)
        {
            var (boxMinX, boxMaxX) = (Vector256.Create(minX[i]), Vector256.Create(maxX[i]));
            var (boxMinY, boxMaxY) = (Vector256.Create(minY[i]), Vector256.Create(maxY[i]));
            for (var j0 = i + 2; j0 < edges; j0 += 4)
            {
                var meets = Vector256.GreaterThanOrEqual(Vector256.Create(maxX[j0..]), boxMinX)
                    & Vector256.LessThanOrEqual(Vector256.Create(minX[j0..]), boxMaxX)
                    & Vector256.GreaterThanOrEqual(Vector256.Create(maxY[j0..]), boxMinY)
                    & Vector256.LessThanOrEqual(Vector256.Create(minY[j0..]), boxMaxY);
                for (var lanes = meets.ExtractMostSignificantBits(); lanes != 0; lanes &= lanes - 1)
                {
                    // The last edge neighbours the first.
                    var j = j0 + BitOperations.TrailingZeroCount(lanes);
                    if ((i != 0 || j != edges - 1) && Cross(xy, i, j))
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Whether the turns at points k + 1 to k + 4 are all certain: <see cref="Orient(double, double, double, double, double, double)"/>
    /// four at a time, the same operations in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TurnsCertainly(Span<double> x, Span<double> y, int k)
    {
        var (px, py) = (Vector256.Create(x[k..]), Vector256.Create(y[k..]));
        var (qx, qy) = (Vector256.Create(x[(k + 1)..]), Vector256.Create(y[(k + 1)..]));
        var (rx, ry) = (Vector256.Create(x[(k + 2)..]), Vector256.Create(y[(k + 2)..]));
        var left = (qx - px) * (ry - py);
        var right = (qy - py) * (rx - px);
        var det = left - right;
        var bound = Vector256.Create(ErrorBound) * (Vector256.Abs(left) + Vector256.Abs(right));
        return (Vector256.GreaterThan(det, bound) | Vector256.LessThan(det, -bound)).ExtractMostSignificantBits() == 0b1111;
    }

    /// <summary>
    /// Whether edges i and j, whose boxes meet, cross or touch, or cannot be told apart from doing so.
    /// </summary>
    private static bool Cross(ReadOnlySpan<double> xy, int i, int j)
    {
        double ax = xy[2 * i], ay = xy[(2 * i) + 1], bx = xy[(2 * i) + 2], by = xy[(2 * i) + 3];
        double cx = xy[2 * j], cy = xy[(2 * j) + 1], dx = xy[(2 * j) + 2], dy = xy[(2 * j) + 3];
        var c = Orient(ax, ay, bx, by, cx, cy);
        var d = Orient(ax, ay, bx, by, dx, dy);
        if (c == 0 || d == 0)
        {
            return true;
        }

        if (c == d)
        {
            return false;   // both ends of j on one side of i
        }

        var a = Orient(cx, cy, dx, dy, ax, ay);
        var b = Orient(cx, cy, dx, dy, bx, by);
        return a == 0 || b == 0 || a != b;   // they cross, or it cannot be told
    }

    /// <summary>The sign of the turn p → q → r: 1 left, −1 right, 0 when it cannot be told for certain.</summary>
    private static int Orient(double px, double py, double qx, double qy, double rx, double ry)
    {
        var left = (qx - px) * (ry - py);
        var right = (qy - py) * (rx - px);
        var det = left - right;
        var bound = ErrorBound * (Math.Abs(left) + Math.Abs(right));
        return det > bound ? 1 : det < -bound ? -1 : 0;
    }
}
