using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace Fuchun.Domain.Analysis;

public static partial class ContiguousBlocks
{
    /// <summary>
    /// A block's outline from its members' edges that no other member shares, walked with the shared edges' twins
    /// known from the hashing: linear in the block's vertices, where a general union (even NetTopologySuite's
    /// CoverageUnion) slows down sharply on blocks of many separate pieces.
    /// </summary>
    /// <remarks>
    /// Every member ring is taken with the member's interior on its left (shells counter-clockwise, holes
    /// clockwise). A walk follows unshared edges; where a member's next edge is shared, it turns to the twin's next
    /// edge in the neighbouring member, and so on around the vertex, until it meets an unshared edge: the outline
    /// then keeps the block on its left, so counter-clockwise rings are shells and clockwise ones holes. Where the
    /// outline touches itself at a vertex a walk passes the vertex twice; such walks are split there into simple
    /// rings. Each hole goes to the smallest shell that contains it.
    /// </remarks>
    private static class Outline
    {
        /// <summary>A member ring: its first edge index, edge count, coordinates, and whether it runs against the wanted turn.</summary>
        private readonly record struct RingRef(int Start, int Edges, CoordinateSequence Sequence, bool Reversed);

        public static Geometry Build(IReadOnlyList<Geometry> geometries, int[] members, SharedEdges shared)
        {
            var factory = geometries[members[0]].Factory;
            var rings = new List<RingRef>();
            foreach (var m in members)
            {
                var start = (int)shared.Offsets[m];
                var geometry = geometries[m];
                for (var g = 0; g < geometry.NumGeometries; g++)
                {
                    if (geometry.GetGeometryN(g) is not Polygon polygon)
                    {
                        continue;
                    }

                    for (var r = 0; r <= polygon.NumInteriorRings; r++)
                    {
                        var ring = r == 0 ? polygon.ExteriorRing.CoordinateSequence : polygon.GetInteriorRingN(r - 1).CoordinateSequence;
                        rings.Add(new RingRef(start, ring.Count - 1, ring, SignedArea(ring) > 0 != (r == 0)));
                        start += ring.Count - 1;
                    }
                }
            }

            // Members come in ascending order, so their rings' edge indices ascend: a ring is found by binary search.
            var starts = rings.Select(r => r.Start).ToArray();
            int RingOf(int edge)
            {
                var i = Array.BinarySearch(starts, edge);
                return i >= 0 ? i : ~i - 1;
            }

            int Next(int ring, int edge)
            {
                var r = rings[ring];
                var local = edge - r.Start;
                return r.Start + (r.Reversed ? (local == 0 ? r.Edges - 1 : local - 1) : (local + 1 == r.Edges ? 0 : local + 1));
            }

            (double X, double Y) From(int ring, int edge)
            {
                var r = rings[ring];
                var v = edge - r.Start + (r.Reversed ? 1 : 0);
                return (r.Sequence.GetX(v) + 0.0, r.Sequence.GetY(v) + 0.0);
            }

            bool Degenerate(int ring, int edge)
            {
                var r = rings[ring];
                var local = edge - r.Start;
                return r.Sequence.GetX(local) == r.Sequence.GetX(local + 1) && r.Sequence.GetY(local) == r.Sequence.GetY(local + 1);
            }

            var visited = shared.Visited;
            var walks = new List<List<(double X, double Y)>>();
            for (var ri = 0; ri < rings.Count; ri++)
            {
                var ring = rings[ri];
                for (var e = ring.Start; e < ring.Start + ring.Edges; e++)
                {
                    // A walk starts on an unshared edge of length (a repeated vertex may sit inside the block).
                    if (shared.Twin[e] >= 0 || visited[e] || Degenerate(ri, e))
                    {
                        continue;
                    }

                    var walk = new List<(double X, double Y)>();
                    var (edge, edgeRing) = (e, ri);
                    do
                    {
                        visited[edge] = true;
                        var point = From(edgeRing, edge);
                        if (walk.Count == 0 || walk[^1] != point)
                        {
                            walk.Add(point);
                        }

                        // Around the end vertex to the next unshared edge.
                        var next = Next(edgeRing, edge);
                        var nextRing = edgeRing;
                        for (var turns = 0; shared.Twin[next] >= 0; turns++)
                        {
                            if (turns > members.Length)
                            {
                                throw new InvalidOperationException("the members' shared edges do not form a coverage");
                            }

                            var twin = shared.Twin[next];
                            nextRing = RingOf(twin);
                            next = Next(nextRing, twin);
                        }

                        (edge, edgeRing) = (next, nextRing);
                    }
                    while (edge != e);

                    if (walk.Count > 1 && walk[^1] == walk[0])
                    {
                        walk.RemoveAt(walk.Count - 1);
                    }

                    Split(walk, walks);
                }
            }

            return Assemble(factory, walks);
        }

        /// <summary>A closed walk as simple rings: split wherever it passes a vertex twice.</summary>
        private static void Split(List<(double X, double Y)> walk, List<List<(double X, double Y)>> rings)
        {
            var seen = new HashSet<(double, double)>(walk.Count);
            var repeats = false;
            foreach (var p in walk)
            {
                repeats |= !seen.Add(p);
            }

            if (!repeats)
            {
                if (walk.Count >= 3)
                {
                    rings.Add(walk);
                }

                return;
            }

            var stack = new List<(double X, double Y)>();
            var position = new Dictionary<(double, double), int>();
            foreach (var p in walk.Append(walk[0]))
            {
                if (position.TryGetValue(p, out var k))
                {
                    var ring = stack.GetRange(k, stack.Count - k);
                    for (var i = k + 1; i < stack.Count; i++)
                    {
                        position.Remove(stack[i]);
                    }

                    stack.RemoveRange(k + 1, stack.Count - k - 1);
                    if (ring.Count >= 3)
                    {
                        rings.Add(ring);
                    }
                }
                else
                {
                    position[p] = stack.Count;
                    stack.Add(p);
                }
            }
        }

        private static Geometry Assemble(GeometryFactory factory, List<List<(double X, double Y)>> rings)
        {
            var shells = new List<(LinearRing Ring, double Area)>();
            var holes = new List<LinearRing>();
            var sequences = factory.CoordinateSequenceFactory;
            foreach (var ring in rings)
            {
                var sequence = sequences.Create(ring.Count + 1, 2, 0);
                for (var i = 0; i <= ring.Count; i++)
                {
                    var (x, y) = ring[i % ring.Count];
                    sequence.SetX(i, x);
                    sequence.SetY(i, y);
                }

                var area = SignedArea(sequence);
                if (area > 0)
                {
                    shells.Add((factory.CreateLinearRing(sequence), area));
                }
                else if (area < 0)
                {
                    holes.Add(factory.CreateLinearRing(sequence));
                }
            }

            var holesOf = shells.Select(_ => new List<LinearRing>()).ToArray();
            if (shells.Count == 1)
            {
                holesOf[0].AddRange(holes);
            }
            else if (holes.Count > 0)
            {
                var index = new STRtree<int>();
                for (var i = 0; i < shells.Count; i++)
                {
                    index.Insert(shells[i].Ring.EnvelopeInternal, i);
                }

                foreach (var hole in holes)
                {
                    // The middle of an edge of a hole is inside its shell, never on the shell's outline.
                    var (p0, p1) = (hole.GetCoordinateN(0), hole.GetCoordinateN(1));
                    var probe = new Coordinate((p0.X + p1.X) / 2, (p0.Y + p1.Y) / 2);
                    var owner = index.Query(hole.EnvelopeInternal)
                        .Where(i => shells[i].Ring.EnvelopeInternal.Covers(hole.EnvelopeInternal) && PointLocation.IsInRing(probe, shells[i].Ring.Coordinates))
                        .OrderBy(i => shells[i].Area)
                        .DefaultIfEmpty(-1).First();
                    if (owner >= 0)
                    {
                        holesOf[owner].Add(hole);
                    }
                }
            }

            var polygons = shells.Select((s, i) => factory.CreatePolygon(s.Ring, [.. holesOf[i]])).ToArray();
            return polygons.Length == 1 ? polygons[0] : factory.CreateMultiPolygon(polygons);
        }

        private static double SignedArea(CoordinateSequence ring)
        {
            double sum = 0;
            var (x0, y0) = (ring.GetX(0), ring.GetY(0));
            for (var i = 1; i + 1 < ring.Count; i++)
            {
                sum += ((ring.GetX(i) - x0) * (ring.GetY(i + 1) - y0)) - ((ring.GetX(i + 1) - x0) * (ring.GetY(i) - y0));
            }

            return sum / 2;
        }
    }
}
