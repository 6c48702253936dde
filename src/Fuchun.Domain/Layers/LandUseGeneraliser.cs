using Fuchun.Domain.Analysis;
using NetTopologySuite.Coverage;
using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Layers;

/// <summary>A generalised land-use polygon: a dissolved group of parcels of one land class.</summary>
public readonly record struct LandUsePolygon(Geometry Geometry, string LandClass);

/// <summary>
/// Generalises a land-use coverage (longitude/latitude, polygons sharing their edges exactly) for the map at a zoom
/// where a parcel is a pixel or two: parcels too small or too thin to show (field roads and ditches of 3–8 m,
/// fields under two pixels) take the land class of the neighbour they share the most boundary with, neighbours of
/// one class are dissolved, and the result is simplified as a coverage so that neighbours still meet without gaps.
/// The output is again a coverage, so it can be generalised again for the next zoom out.
/// </summary>
/// <remarks>
/// This is cartographic generalisation (ArcGIS calls the first step "Eliminate"), the classic way land-use maps are
/// drawn at small scales; the pieces come from NetTopologySuite (<see cref="CoverageUnion"/>,
/// <see cref="CoverageSimplifier"/>). Only inner edges are simplified: the outline of the input (a tiling cell)
/// stays exact, so the output of neighbouring cells still meets without a seam.
/// </remarks>
public static class LandUseGeneraliser
{

    private const double MetresPerDegree = 111_320;

    /// <summary>The size of a 256-pixel map tile's pixel at <paramref name="zoom"/> and latitude, in metres.</summary>
    public static double PixelMetres(int zoom, double latitude) =>
        40_075_016.686 * Math.Cos(latitude * Math.PI / 180) / (1 << zoom) / 256;

    /// <summary>
    /// Generalises <paramref name="polygons"/> (with their land classes) for display at <paramref name="zoom"/>.
    /// </summary>
    public static IReadOnlyList<LandUsePolygon> Generalise(IReadOnlyList<Geometry> polygons, IReadOnlyList<string> classes, int zoom)
    {
        ArgumentNullException.ThrowIfNull(polygons);
        ArgumentNullException.ThrowIfNull(classes);
        if (polygons.Count != classes.Count)
        {
            throw new ArgumentException("polygons and classes must have the same length");
        }

        var n = polygons.Count;
        if (n == 0)
        {
            return [];
        }

        var latitude = polygons[0].EnvelopeInternal.Centre.Y;
        var kx = MetresPerDegree * Math.Cos(latitude * Math.PI / 180);
        var ky = MetresPerDegree;
        var pixel = PixelMetres(zoom, latitude);
        var minArea = 2 * pixel * pixel;
        var minWidth = 0.5 * pixel;

        // Every shared edge matched once, for the neighbours' shared lengths and for the dissolve.
        var edges = ContiguousBlocks.CoverageEdges.Of(polygons);
        var neighbours = SharedBoundaries(polygons, edges, kx, ky);

        // Which parcels cannot show: small, or thin (twice the area over the perimeter is about the width of a strip).
        var area = new double[n];
        var small = new bool[n];
        for (var i = 0; i < n; i++)
        {
            area[i] = Math.Abs(polygons[i].Area) * kx * ky;
            var perimeter = Perimeter(polygons[i], kx, ky);
            small[i] = area[i] < minArea || (perimeter > 0 && 2 * area[i] / perimeter < minWidth);
        }

        // Each takes the class of the neighbour it shares the longest boundary with, larger ones first, so that
        // a small parcel between small ones follows whatever its larger neighbours became.
        var effective = classes.ToArray();
        var settled = new bool[n];
        for (var i = 0; i < n; i++)
        {
            settled[i] = !small[i];
        }

        foreach (var i in Enumerable.Range(0, n).Where(i => small[i]).OrderByDescending(i => area[i]))
        {
            var (best, length) = (-1, 0.0);
            foreach (var (j, shared) in neighbours[i])
            {
                if (settled[j] && shared > length)
                {
                    (best, length) = (j, shared);
                }
            }

            if (best >= 0)
            {
                effective[i] = effective[best];
            }

            settled[i] = true;
        }

        // Dissolve neighbours of one class: the contiguous blocks of each class, outlines built from the edges no
        // other member shares (exact in a coverage, and far faster than a general union).
        var order = effective.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select((c, k) => (c, k)).ToDictionary(StringComparer.Ordinal);
        var dissolved = new List<Geometry>();
        var dissolvedClass = new List<string>();
        foreach (var (geometry, members) in ContiguousBlocks.Dissolve(polygons, edges, [.. effective.Select(c => order[c])]))
        {
            dissolved.Add(geometry);
            dissolvedClass.Add(effective[members[0]]);
        }

        var simplified = CoverageSimplifier.SimplifyInner([.. dissolved], pixel / 2 / MetresPerDegree);
        var result = new List<LandUsePolygon>(simplified.Length);
        for (var k = 0; k < simplified.Length; k++)
        {
            if (simplified[k] is { IsEmpty: false } g)
            {
                result.Add(new LandUsePolygon(g, dissolvedClass[k]));
            }
        }

        return result;
    }

    private static double Perimeter(Geometry g, double kx, double ky)
    {
        double sum = 0;
        for (var p = 0; p < g.NumGeometries; p++)
        {
            var polygon = (Polygon)g.GetGeometryN(p);
            sum += RingLength(polygon.ExteriorRing.CoordinateSequence, kx, ky);
            foreach (var hole in polygon.InteriorRings)
            {
                sum += RingLength(hole.CoordinateSequence, kx, ky);
            }
        }

        return sum;
    }

    private static double RingLength(CoordinateSequence ring, double kx, double ky)
    {
        double sum = 0;
        for (var k = 1; k < ring.Count; k++)
        {
            var dx = (ring.GetX(k) - ring.GetX(k - 1)) * kx;
            var dy = (ring.GetY(k) - ring.GetY(k - 1)) * ky;
            sum += Math.Sqrt((dx * dx) + (dy * dy));
        }

        return sum;
    }

    /// <summary>
    /// For each polygon, its neighbours and the length (metres) of boundary it shares with each, in the order the
    /// pairs were first met.
    /// </summary>
    private static List<(int Neighbour, double Length)>[] SharedBoundaries(IReadOnlyList<Geometry> polygons, ContiguousBlocks.CoverageEdges edges, double kx, double ky)
    {
        var n = polygons.Count;
        var result = new List<(int, double)>[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = [];
        }

        // The matches come polygon by polygon (the one that met the edge, ascending): each polygon's lower neighbours
        // are summed while it is met, then each pair goes to both lists. A list thus holds the lower neighbours in the
        // order first met, then the higher ones in ascending order: the order the pairs were first met in.
        var current = new List<(int Neighbour, double Length)>();
        var owner = -1;
        void Flush()
        {
            foreach (var (a, length) in current)
            {
                result[owner].Add((a, length));
                result[a].Add((owner, length));
            }

            current.Clear();
        }

        for (var m = 0; m < edges.Matches.Count; m++)
        {
            var (a, _, b, _) = edges.Matches[m];
            if (b != owner)
            {
                if (owner >= 0)
                {
                    Flush();
                }

                owner = b;
            }

            var (dx, dy) = (edges.Deltas[m].Dx * kx, edges.Deltas[m].Dy * ky);
            var k = current.Count - 1;
            while (k >= 0 && current[k].Neighbour != a)
            {
                k--;
            }

            if (k < 0)
            {
                current.Add((a, Math.Sqrt((dx * dx) + (dy * dy))));
            }
            else
            {
                current[k] = (a, current[k].Length + Math.Sqrt((dx * dx) + (dy * dy)));
            }
        }

        if (owner >= 0)
        {
            Flush();
        }

        return result;
    }
}
