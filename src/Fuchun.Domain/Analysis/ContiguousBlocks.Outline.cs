using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace Fuchun.Domain.Analysis;

public static partial class ContiguousBlocks
{
    /// <summary>
    /// A block's outline from its members' edges that no other member shares (known from the edge hashing), traced
    /// into rings: linear in the block's vertices, where a general union (even NetTopologySuite's CoverageUnion)
    /// slows down sharply on blocks of many separate pieces.
    /// </summary>
    /// <remarks>
    /// Every member ring is walked with the member's interior on its left (shells counter-clockwise, holes
    /// clockwise), so the outline's edges also have the block on their left: counter-clockwise rings are shells,
    /// clockwise ones holes. Where the outline touches itself at a vertex, a walk may pass the vertex twice; walks are
    /// split there into simple rings. Each hole goes to the smallest shell that contains it.
    /// </remarks>
    private static class Outline
    {
        public static Geometry Build(IReadOnlyList<Geometry> geometries, int[] members, SharedEdges shared)
        {
            var factory = geometries[members[0]].Factory;
            var (from, to) = (new List<(double X, double Y)>(), new List<(double X, double Y)>());
            foreach (var m in members)
            {
                var ordinal = shared.Offsets[m];
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
                        var reverse = SignedArea(ring) > 0 != (r == 0);
                        for (var v = 0; v + 1 < ring.Count; v++, ordinal++)
                        {
                            var a = (ring.GetX(v) + 0.0, ring.GetY(v) + 0.0);
                            var b = (ring.GetX(v + 1) + 0.0, ring.GetY(v + 1) + 0.0);
                            if (!shared.Inner[ordinal] && a != b)
                            {
                                from.Add(reverse ? b : a);
                                to.Add(reverse ? a : b);
                            }
                        }
                    }
                }
            }

            var rings = Trace(from, to);
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

        /// <summary>Walks the directed edges into closed walks and splits each at repeated vertices into simple rings.</summary>
        private static List<List<(double X, double Y)>> Trace(List<(double X, double Y)> from, List<(double X, double Y)> to)
        {
            // Each vertex's outgoing edges as a linked list (head, next), and how many there are: only a vertex with
            // more than one can be passed twice by a walk, so only those (and the walk's start) are remembered.
            var outgoing = new Dictionary<(double, double), (int Head, int Degree)>(from.Count);
            var next = new int[from.Count];
            for (var e = 0; e < from.Count; e++)
            {
                var (head, degree) = outgoing.TryGetValue(from[e], out var found) ? found : (-1, 0);
                next[e] = head;
                outgoing[from[e]] = (e, degree + 1);
            }

            var rings = new List<List<(double X, double Y)>>();
            var used = new bool[from.Count];
            var stack = new List<(double X, double Y)>();
            var position = new Dictionary<(double, double), int>();
            for (var start = 0; start < from.Count; start++)
            {
                if (used[start])
                {
                    continue;
                }

                stack.Clear();
                position.Clear();
                stack.Add(from[start]);
                position[from[start]] = 0;
                var edge = start;
                while (edge >= 0)
                {
                    used[edge] = true;
                    var vertex = to[edge];
                    var (head, degree) = outgoing[vertex];
                    if (position.TryGetValue(vertex, out var k))
                    {
                        // Back at a vertex of this walk: the loop since then is a ring.
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
                        if (degree > 1)
                        {
                            position[vertex] = stack.Count;
                        }

                        stack.Add(vertex);
                    }

                    while (head >= 0 && used[head])
                    {
                        head = next[head];
                    }

                    outgoing[vertex] = (head, degree);
                    edge = head;
                }
            }

            return rings;
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
