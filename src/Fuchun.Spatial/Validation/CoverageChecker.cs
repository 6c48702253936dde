using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Noding;

namespace Fuchun.Spatial.Validation;

/// <summary>What is wrong with a set of polygons that should form a coverage.</summary>
public enum CoverageDefectKind
{
    /// <summary>Two polygons cover the same ground (a duplicated edge, or a polygon inside another).</summary>
    Overlap,

    /// <summary>Ground enclosed by the polygons that none of them covers (a hole in the coverage).</summary>
    Gap,

    /// <summary>Neighbouring edges that do not share their vertices: a T-junction, a sliver, crossing edges.</summary>
    EdgeMismatch,
}

/// <summary>
/// One defect: its kind, a polygon involved (its number as added, from 1; 0 when none can be named), where it is,
/// and for a gap the ring around it.
/// </summary>
public sealed record CoverageDefect(CoverageDefectKind Kind, int Feature, Coordinate Location, LinearRing? Ring = null);

/// <summary>
/// Checks, while polygons stream past, that they form an exact polygonal coverage: edges shared by neighbours match
/// vertex for vertex, nothing overlaps and nothing is left uncovered inside. Every edge is keyed by its two end
/// points (shells taken counter-clockwise, holes clockwise); an interior edge is met once in each direction and then
/// forgotten, so memory holds only the edges still waiting for their neighbour. What is left at the end must be the
/// coverage's outline: edges that cross or touch inside each other are mismatches; the outline's rings are traced,
/// and a clockwise ring is a gap, a counter-clockwise ring inside the coverage an overlap. Linear in the number of
/// vertices; it needs no spatial index and no second pass. Written here because NetTopologySuite's
/// <c>CoverageValidator</c> holds every polygon at once and reports no gaps without a width to look for.
/// </summary>
public sealed class CoverageChecker
{
    private const int Shards = 64;
    private const int MaxDefects = 1000;

    private readonly Dictionary<Edge, int>[] pending = new Dictionary<Edge, int>[Shards];
    private readonly List<CoverageDefect> defects = [];

    public CoverageChecker()
    {
        // Sharded so that growing one table never copies more than a sliver of the whole.
        for (var i = 0; i < Shards; i++)
        {
            pending[i] = [];
        }
    }

    /// <summary>Adds the polygons of <paramref name="geometry"/> as feature number <paramref name="feature"/> (from 1).</summary>
    public void Add(int feature, Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentOutOfRangeException.ThrowIfLessThan(feature, 1);
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            if (geometry.GetGeometryN(i) is not Polygon polygon || polygon.IsEmpty)
            {
                continue;
            }

            // Read flat where the rings are held flat (every import's are), not a virtual call per ordinate.
            AddRing(feature, FlatCoordinates.Of(polygon.Shell.CoordinateSequence), counterClockwise: true);
            foreach (var hole in polygon.Holes)
            {
                AddRing(feature, FlatCoordinates.Of(hole.CoordinateSequence), counterClockwise: false);
            }
        }
    }

    /// <summary>
    /// Adds one polygon without holes, given as its shell's interleaved x, y (closed, either way round), as feature
    /// number <paramref name="feature"/> (from 1): what <see cref="Add"/> does for that polygon, without one.
    /// </summary>
    public void AddShell(int feature, ReadOnlySpan<double> shell)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(feature, 1);
        if (shell.Length > 0)
        {
            AddRing(feature, shell, counterClockwise: true);
        }
    }

    private void AddRing(int feature, ReadOnlySpan<double> xy, bool counterClockwise)
    {
        var reverse = RingOrientation.IsCounterClockwise(xy) != counterClockwise;
        var n = xy.Length / 2;
        for (var k = 0; k < n - 1; k++)
        {
            var (i, j) = reverse ? (n - 1 - k, n - 2 - k) : (k, k + 1);
            double ax = xy[2 * i], ay = xy[(2 * i) + 1], bx = xy[2 * j], by = xy[(2 * j) + 1];
            if (ax == bx && ay == by)
            {
                continue;   // a repeated vertex
            }

            var forward = ax < bx || (ax == bx && ay < by);
            var edge = forward ? new Edge(ax, ay, bx, by) : new Edge(bx, by, ax, ay);
            var value = forward ? feature : -feature;
            var shard = pending[edge.GetHashCode() & (Shards - 1)];
            if (!shard.Remove(edge, out var other))
            {
                shard[edge] = value;
            }
            else if (Math.Sign(other) == Math.Sign(value))
            {
                Report(new CoverageDefect(CoverageDefectKind.Overlap, feature, new Coordinate(ax, ay)));
            }
        }
    }

    private void Report(CoverageDefect defect)
    {
        if (defects.Count < MaxDefects)
        {
            defects.Add(defect);
        }
    }

    /// <summary>The edges still unmatched: the outline of the coverage, and any defect.</summary>
    public long PendingEdges => pending.Sum(s => (long)s.Count);

    /// <summary>Every defect found (at most 1000), in no particular order; empty for an exact coverage.</summary>
    public IReadOnlyList<CoverageDefect> Finish(GeometryFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var edges = new List<(Coordinate From, Coordinate To, int Feature)>();
        foreach (var shard in pending)
        {
            foreach (var (e, v) in shard)
            {
                var (a, b) = (new Coordinate(e.Ax, e.Ay), new Coordinate(e.Bx, e.By));
                edges.Add(v > 0 ? (a, b, v) : (b, a, -v));
            }
        }

        // Outline edges never cross or overlap one another; where they do, neighbours' edges do not match.
        var strings = edges.Select((e, i) => (ISegmentString)new NodedSegmentString([e.From, e.To], i)).ToList();
        var finder = NodingIntersectionFinder.CreateAllIntersectionsFinder(new RobustLineIntersector());
        new MCIndexNoder(finder).ComputeNodes(strings);
        if (finder.Count > 0)
        {
            var index = new NetTopologySuite.Index.Strtree.STRtree<int>();
            for (var i = 0; i < edges.Count; i++)
            {
                index.Insert(new Envelope(edges[i].From, edges[i].To), i);
            }

            foreach (var c in finder.Intersections.Take(MaxDefects))
            {
                // Edges crossing inside both of them: two parcels overlap. A vertex inside a neighbour's edge, or
                // collinear edges running along each other: the shared boundary's vertices do not match.
                var near = index.Query(new Envelope(c)).Select(i => edges[i]).Where(e => DistanceToSegment(c, e.From, e.To) < 1e-12).ToList();
                // Each edge has its parcel on its left: collinear edges running the same way, or edges crossing,
                // put two parcels on the same ground.
                var overlap = false;
                for (var i = 0; i < near.Count && !overlap; i++)
                {
                    for (var j = i + 1; j < near.Count && !overlap; j++)
                    {
                        var (a, b) = (near[i], near[j]);
                        var (ux, uy, vx, vy) = (a.To.X - a.From.X, a.To.Y - a.From.Y, b.To.X - b.From.X, b.To.Y - b.From.Y);
                        var cross = (ux * vy) - (uy * vx);
                        var collinear = Math.Abs(cross) <= 1e-12 * Math.Sqrt(((ux * ux) + (uy * uy)) * ((vx * vx) + (vy * vy)));
                        overlap = collinear ? (ux * vx) + (uy * vy) > 0 && SharedLength(a, b) > 0 : Interior(c, a) && Interior(c, b);
                    }
                }

                var feature = near.Count > 0 ? near.Max(e => e.Feature) : 0;
                Report(new CoverageDefect(overlap ? CoverageDefectKind.Overlap : CoverageDefectKind.EdgeMismatch, feature, c));
            }
        }

        if (finder.Count == 0 && !NearMisses(edges))
        {
            TraceOutline(factory, edges);
        }

        return defects;
    }

    /// <summary>
    /// Outline edges that pass within <see cref="NearMiss"/> of each other without sharing a vertex: neighbours
    /// whose common boundary was digitised twice and does not quite meet (floating-point drift, snapping lost in
    /// a conversion). Reported as mismatches; the outline's rings would otherwise hide them.
    /// </summary>
    private bool NearMisses(List<(Coordinate From, Coordinate To, int Feature)> edges)
    {
        var index = new NetTopologySuite.Index.Strtree.STRtree<int>();
        for (var i = 0; i < edges.Count; i++)
        {
            index.Insert(new Envelope(edges[i].From, edges[i].To), i);
        }

        var found = false;
        for (var i = 0; i < edges.Count; i++)
        {
            var (a, b, feature) = edges[i];
            var search = new Envelope(a, b);
            search.ExpandBy(NearMiss);
            foreach (var j in index.Query(search))
            {
                var other = edges[j];
                if (j <= i || a.Equals2D(other.From) || a.Equals2D(other.To) || b.Equals2D(other.From) || b.Equals2D(other.To))
                {
                    continue;
                }

                var segment = new LineSegment(a, b);
                var otherSegment = new LineSegment(other.From, other.To);
                if (segment.Distance(otherSegment) < NearMiss)
                {
                    Report(new CoverageDefect(CoverageDefectKind.EdgeMismatch, Math.Max(feature, other.Feature), segment.ClosestPoints(otherSegment)[0]));
                    found = true;
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Closer than this (in the coordinates' units: 1e-9° is about 0.1 mm), outline edges that share no vertex should
    /// have been one boundary. Far above floating-point drift (1e-14°), far below anything drawn on purpose.
    /// </summary>
    private const double NearMiss = 1e-9;

    private void TraceOutline(GeometryFactory factory, List<(Coordinate From, Coordinate To, int Feature)> edges)
    {
        var outgoing = new Dictionary<Coordinate, List<int>>();
        for (var i = 0; i < edges.Count; i++)
        {
            if (!outgoing.TryGetValue(edges[i].From, out var list))
            {
                outgoing[edges[i].From] = list = [];
            }

            list.Add(i);
        }

        var used = new bool[edges.Count];
        var shells = new List<(LinearRing Ring, int Feature)>();
        var holes = new List<LinearRing>();
        for (var start = 0; start < edges.Count; start++)
        {
            if (used[start])
            {
                continue;
            }

            var ring = new List<Coordinate> { edges[start].From };
            var current = start;
            var closed = false;
            while (true)
            {
                used[current] = true;
                var (from, to, _) = edges[current];
                ring.Add(to);
                if (to.Equals2D(edges[start].From))
                {
                    closed = true;
                    break;
                }

                // Uncovered ground lies to the right of every outline edge: take the sharpest right turn (the first
                // edge counter-clockwise from the way back), so that a gap touching the outline at a single vertex
                // is traced as its own clockwise ring rather than folded into the outline.
                var back = Math.Atan2(from.Y - to.Y, from.X - to.X);
                var next = -1;
                var best = double.MaxValue;
                foreach (var candidate in outgoing.GetValueOrDefault(to) ?? [])
                {
                    if (used[candidate])
                    {
                        continue;
                    }

                    var angle = Math.Atan2(edges[candidate].To.Y - to.Y, edges[candidate].To.X - to.X);
                    var turn = angle - back;
                    while (turn <= 0)
                    {
                        turn += 2 * Math.PI;
                    }

                    if (turn < best)
                    {
                        (best, next) = (turn, candidate);
                    }
                }

                if (next < 0)
                {
                    break;
                }

                current = next;
            }

            if (!closed || ring.Count < 4)
            {
                Report(new CoverageDefect(CoverageDefectKind.EdgeMismatch, edges[start].Feature, edges[start].From));
                continue;
            }

            var linear = factory.CreateLinearRing([.. ring]);
            if (Orientation.IsCCW(linear.CoordinateSequence))
            {
                shells.Add((linear, edges[start].Feature));
            }
            else
            {
                holes.Add(linear);
                var location = factory.CreatePolygon(linear).InteriorPoint.Coordinate;
                Report(new CoverageDefect(CoverageDefectKind.Gap, edges[start].Feature, location, linear));
            }
        }

        // An outline inside another part of the coverage (and not inside one of its gaps) is covered twice.
        if (shells.Count is > 1 and <= 2000)
        {
            foreach (var (ring, feature) in shells)
            {
                var (a, b) = (ring.GetCoordinateN(0), ring.GetCoordinateN(1));
                var (dx, dy) = (b.X - a.X, b.Y - a.Y);
                var length = Math.Sqrt((dx * dx) + (dy * dy));
                var inside = new Coordinate(((a.X + b.X) / 2) - (dy / length * 1e-9), ((a.Y + b.Y) / 2) + (dx / length * 1e-9));
                var depth = shells.Count(s => !ReferenceEquals(s.Ring, ring) && PointLocation.IsInRing(inside, s.Ring.Coordinates))
                    - holes.Count(h => PointLocation.IsInRing(inside, h.Coordinates));
                if (depth > 0)
                {
                    Report(new CoverageDefect(CoverageDefectKind.Overlap, feature, a));
                }
            }
        }
    }

    /// <summary>How far two collinear edges run along each other (0 when they only meet end to end).</summary>
    private static double SharedLength((Coordinate From, Coordinate To, int Feature) a, (Coordinate From, Coordinate To, int Feature) b)
    {
        var (ux, uy) = (a.To.X - a.From.X, a.To.Y - a.From.Y);
        double Along(Coordinate p) => ((p.X - a.From.X) * ux) + ((p.Y - a.From.Y) * uy);
        var (b0, b1) = (Along(b.From), Along(b.To));
        return Math.Min((ux * ux) + (uy * uy), Math.Max(b0, b1)) - Math.Max(0, Math.Min(b0, b1));
    }

    private static bool Interior(Coordinate c, (Coordinate From, Coordinate To, int Feature) e) => !c.Equals2D(e.From) && !c.Equals2D(e.To);

    private static double DistanceToSegment(Coordinate p, Coordinate a, Coordinate b) =>
        new LineSegment(a, b).Distance(p);

    private readonly record struct Edge(double Ax, double Ay, double Bx, double By);
}
