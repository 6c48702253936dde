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

        foreach (var v in xy)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        var edges = n - 1;
        // Neighbouring edges share one vertex and must turn certainly (no spike, no straight run, no repeat).
        for (var i = 0; i < edges; i++)
        {
            var j = i + 1 < edges ? i + 1 : 0;
            if (Orient(xy, i, i + 1, j + 1) == 0)
            {
                return false;
            }
        }

        // Each edge's bounding box, as four rows (min x, max x, min y, max y) padded with boxes that meet nothing:
        // a pair of edges is only looked at when their boxes meet, and the boxes are compared four at a time.
        var stride = (edges + 7) & ~3;
        Span<double> boxes = stackalloc double[4 * stride];
        var minX = boxes[..stride];
        var maxX = boxes[stride..(2 * stride)];
        var minY = boxes[(2 * stride)..(3 * stride)];
        var maxY = boxes[(3 * stride)..];
        for (var i = 0; i < edges; i++)
        {
            (minX[i], maxX[i]) = (Math.Min(xy[2 * i], xy[(2 * i) + 2]), Math.Max(xy[2 * i], xy[(2 * i) + 2]));
            (minY[i], maxY[i]) = (Math.Min(xy[(2 * i) + 1], xy[(2 * i) + 3]), Math.Max(xy[(2 * i) + 1], xy[(2 * i) + 3]));
        }

        minX[edges..].Fill(double.PositiveInfinity);
        maxX[edges..].Fill(double.NegativeInfinity);
        minY[edges..].Fill(double.PositiveInfinity);
        maxY[edges..].Fill(double.NegativeInfinity);

        for (var i = 0; i < edges; i++)
        {
            var (boxMinX, boxMaxX) = (Vector256.Create(minX[i]), Vector256.Create(maxX[i]));
            var (boxMinY, boxMaxY) = (Vector256.Create(minY[i]), Vector256.Create(maxY[i]));
            // Edges i and j with j beyond i's neighbours (the last edge neighbours the first).
            var last = i == 0 ? edges - 2 : edges - 1;
            for (var j0 = i + 2; j0 <= last; j0 += 4)
            {
                var meets = Vector256.GreaterThanOrEqual(Vector256.Create(maxX[j0..]), boxMinX)
                    & Vector256.LessThanOrEqual(Vector256.Create(minX[j0..]), boxMaxX)
                    & Vector256.GreaterThanOrEqual(Vector256.Create(maxY[j0..]), boxMinY)
                    & Vector256.LessThanOrEqual(Vector256.Create(minY[j0..]), boxMaxY);
                var lanes = meets.ExtractMostSignificantBits() & ((1u << Math.Min(4, last - j0 + 1)) - 1);
                for (; lanes != 0; lanes &= lanes - 1)
                {
                    if (Cross(xy, i, j0 + BitOperations.TrailingZeroCount(lanes)))
                    {
                        return false;
                    }
                }
            }
        }

        return true;
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

    private static int Orient(ReadOnlySpan<double> xy, int p, int q, int r) =>
        Orient(xy[2 * p], xy[(2 * p) + 1], xy[2 * q], xy[(2 * q) + 1], xy[2 * r], xy[(2 * r) + 1]);

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
