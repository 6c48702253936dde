using System.Numerics;
using NetTopologySuite.Coverage;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace Fuchun.Domain.Analysis;

/// <summary>What a parcel is to the block search.</summary>
public enum ContiguityRole : byte
{
    /// <summary>Neither joins nor belongs: it breaks contiguity.</summary>
    None,

    /// <summary>Belongs to blocks and adds its area (PBF, or farmland).</summary>
    Member,

    /// <summary>Joins the members it shares an edge with, adding no area (1006, 1107, 1203).</summary>
    Connector,
}

/// <summary>A contiguous block: its members (indices into the input, ascending), area and tier.</summary>
public sealed record ContiguousBlock(int[] Members, double AreaM2, string Tier)
{
    /// <summary>The union of the members' geometries, when asked for.</summary>
    public Geometry? Geometry { get; init; }
}

/// <summary>
/// Finds contiguous blocks (集中连片) in a polygonal coverage: maximal sets of member polygons joined by a shared
/// edge of positive length, directly or through a connector polygon. Corner-only contact does not join.
/// </summary>
/// <remarks>
/// Written here rather than taken from a library because it is the core of the analysis and a general-purpose
/// tool is far slower at it: a GIS unions everything and splits it apart again, with costs that grow sharply with
/// the number of separate pieces. Here every ring edge of the members and connectors is hashed once (coordinates
/// compared exactly on a hash match, so the result is exact), a shared edge unions its two owners in a
/// union–find, and each block's geometry is then the coverage union of its own members only. Time grows linearly
/// with the number of vertices. In a valid coverage, as every imported layer is, neighbours share their edges
/// vertex for vertex; an optional gap tolerance joins parcels that do not touch.
/// </remarks>
public static class ContiguousBlocks
{
    /// <summary>
    /// The blocks of <paramref name="geometries"/>, largest first. <paramref name="areas"/> are the polygons' areas
    /// (what a block adds up); <paramref name="gapTolerance"/> is in the geometries' own units (0: off).
    /// </summary>
    public static IReadOnlyList<ContiguousBlock> Find(
        IReadOnlyList<Geometry> geometries, IReadOnlyList<ContiguityRole> roles, IReadOnlyList<double> areas,
        Func<double, string> tierOf, bool chainConnectors = false, double gapTolerance = 0, bool withGeometry = false)
    {
        ArgumentNullException.ThrowIfNull(geometries);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(areas);
        ArgumentNullException.ThrowIfNull(tierOf);
        if (roles.Count != geometries.Count || areas.Count != geometries.Count)
        {
            throw new ArgumentException("geometries, roles and areas must have the same length");
        }

        var n = geometries.Count;
        var sets = new DisjointSets(n);
        bool MayJoin(int a, int b) => a != b && (chainConnectors || roles[a] == ContiguityRole.Member || roles[b] == ContiguityRole.Member);

        JoinSharedEdges(geometries, roles, sets, MayJoin);
        if (gapTolerance > 0)
        {
            JoinAcrossGaps(geometries, roles, sets, MayJoin, gapTolerance);
        }

        var byRoot = new Dictionary<int, List<int>>();
        for (var i = 0; i < n; i++)
        {
            if (roles[i] != ContiguityRole.Member)
            {
                continue;
            }

            var root = sets.Find(i);
            if (!byRoot.TryGetValue(root, out var members))
            {
                byRoot[root] = members = [];
            }

            members.Add(i);
        }

        var blocks = byRoot.Values.Select(m =>
        {
            var members = m.ToArray();
            double area = 0;
            foreach (var i in members)
            {
                area += areas[i];
            }

            return new ContiguousBlock(members, area, tierOf(area));
        }).OrderByDescending(b => b.AreaM2).ThenBy(b => b.Members[0]).ToArray();

        if (withGeometry)
        {
            Parallel.For(0, blocks.Length, i => blocks[i] = blocks[i] with { Geometry = Union(geometries, blocks[i].Members) });
        }

        return blocks;
    }

    /// <summary>The union of the given members of a coverage (they share edges exactly, so no noding is needed).</summary>
    public static Geometry Union(IReadOnlyList<Geometry> geometries, int[] members)
    {
        ArgumentNullException.ThrowIfNull(geometries);
        ArgumentNullException.ThrowIfNull(members);
        return members.Length == 1 ? geometries[members[0]] : CoverageUnion.Union([.. members.Select(i => geometries[i])]);
    }

    private static void JoinSharedEdges(IReadOnlyList<Geometry> geometries, IReadOnlyList<ContiguityRole> roles, DisjointSets sets, Func<int, int, bool> mayJoin)
    {
        long edges = 0;
        for (var i = 0; i < geometries.Count; i++)
        {
            if (roles[i] != ContiguityRole.None)
            {
                edges += geometries[i].NumPoints;
            }
        }

        var table = new EdgeTable(edges);
        for (var p = 0; p < geometries.Count; p++)
        {
            if (roles[p] == ContiguityRole.None)
            {
                continue;
            }

            var ordinal = 0;
            foreach (var ring in Rings(geometries[p]))
            {
                var count = ring.Count;
                var (x1, y1) = (ring.GetX(0) + 0.0, ring.GetY(0) + 0.0);
                for (var v = 1; v < count; v++, ordinal++)
                {
                    var (x2, y2) = (ring.GetX(v) + 0.0, ring.GetY(v) + 0.0);
                    if (x1 != x2 || y1 != y2)
                    {
                        var other = table.AddOrMatch(geometries, p, ordinal, x1, y1, x2, y2);
                        if (other >= 0 && mayJoin(other, p))
                        {
                            sets.Union(other, p);
                        }
                    }

                    (x1, y1) = (x2, y2);
                }
            }
        }
    }

    private static void JoinAcrossGaps(IReadOnlyList<Geometry> geometries, IReadOnlyList<ContiguityRole> roles, DisjointSets sets, Func<int, int, bool> mayJoin, double tolerance)
    {
        var tree = new STRtree<int>();
        for (var i = 0; i < geometries.Count; i++)
        {
            if (roles[i] != ContiguityRole.None)
            {
                tree.Insert(geometries[i].EnvelopeInternal, i);
            }
        }

        tree.Build();
        for (var i = 0; i < geometries.Count; i++)
        {
            if (roles[i] == ContiguityRole.None)
            {
                continue;
            }

            var search = new Envelope(geometries[i].EnvelopeInternal);
            search.ExpandBy(tolerance);
            foreach (var j in tree.Query(search))
            {
                if (j <= i || !mayJoin(i, j) || sets.Find(i) == sets.Find(j) || !geometries[i].IsWithinDistance(geometries[j], tolerance))
                {
                    continue;
                }

                // Contact along more than three tolerances: two corners within the tolerance do not join.
                var near = geometries[i].Boundary.Intersection(geometries[j].Buffer(tolerance));
                if (near.Length > 3 * tolerance)
                {
                    sets.Union(i, j);
                }
            }
        }
    }

    /// <summary>The rings of a polygonal geometry: each polygon's shell, then its holes.</summary>
    internal static IEnumerable<CoordinateSequence> Rings(Geometry geometry)
    {
        for (var g = 0; g < geometry.NumGeometries; g++)
        {
            if (geometry.GetGeometryN(g) is not Polygon polygon)
            {
                continue;
            }

            yield return polygon.ExteriorRing.CoordinateSequence;
            for (var h = 0; h < polygon.NumInteriorRings; h++)
            {
                yield return polygon.GetInteriorRingN(h).CoordinateSequence;
            }
        }
    }

    /// <summary>The <paramref name="ordinal"/>-th edge of a geometry's rings, counting as <see cref="Rings"/> does.</summary>
    private static (double X1, double Y1, double X2, double Y2) Edge(Geometry geometry, int ordinal)
    {
        foreach (var ring in Rings(geometry))
        {
            var edges = ring.Count - 1;
            if (ordinal < edges)
            {
                return (ring.GetX(ordinal) + 0.0, ring.GetY(ordinal) + 0.0, ring.GetX(ordinal + 1) + 0.0, ring.GetY(ordinal + 1) + 0.0);
            }

            ordinal -= edges;
        }

        throw new ArgumentOutOfRangeException(nameof(ordinal));
    }

    /// <summary>
    /// An open-addressing table of undirected edges: a 64-bit hash of the edge's canonical end points and a
    /// reference (owner, edge ordinal) from which the coordinates are read back to confirm a match.
    /// </summary>
    private sealed class EdgeTable
    {
        private readonly ulong[] keys;
        private readonly long[] refs;
        private readonly ulong mask;

        public EdgeTable(long edges)
        {
            var capacity = BitOperations.RoundUpToPowerOf2((ulong)Math.Max(16, edges * 2));
            keys = new ulong[capacity];
            refs = new long[capacity];
            mask = capacity - 1;
        }

        /// <summary>Adds the edge for <paramref name="owner"/>, or returns the owner it was already added for (else −1).</summary>
        public int AddOrMatch(IReadOnlyList<Geometry> geometries, int owner, int ordinal, double x1, double y1, double x2, double y2)
        {
            if (x2 < x1 || (x2 == x1 && y2 < y1))
            {
                (x1, y1, x2, y2) = (x2, y2, x1, y1);
            }

            var key = Hash(x1, y1, x2, y2);
            var slot = key & mask;
            while (keys[slot] != 0)
            {
                if (keys[slot] == key)
                {
                    var other = (int)(refs[slot] >> 32);
                    if (other != owner)
                    {
                        var (a1, b1, a2, b2) = Edge(geometries[other], (int)refs[slot]);
                        if ((a1 == x1 && b1 == y1 && a2 == x2 && b2 == y2) || (a1 == x2 && b1 == y2 && a2 == x1 && b2 == y1))
                        {
                            return other;
                        }
                    }
                }

                slot = (slot + 1) & mask;
            }

            keys[slot] = key;
            refs[slot] = ((long)owner << 32) | (uint)ordinal;
            return -1;
        }

        private static ulong Hash(double x1, double y1, double x2, double y2)
        {
            var h = Mix((ulong)BitConverter.DoubleToInt64Bits(x1));
            h = Mix(h ^ (ulong)BitConverter.DoubleToInt64Bits(y1));
            h = Mix(h ^ (ulong)BitConverter.DoubleToInt64Bits(x2));
            h = Mix(h ^ (ulong)BitConverter.DoubleToInt64Bits(y2));
            return h == 0 ? 1 : h;
        }

        private static ulong Mix(ulong h)
        {
            // The 64-bit finaliser of MurmurHash3.
            h ^= h >> 33;
            h *= 0xff51afd7ed558ccdUL;
            h ^= h >> 33;
            h *= 0xc4ceb9fe1a85ec53UL;
            h ^= h >> 33;
            return h;
        }
    }

    /// <summary>Union–find with path halving and union by size.</summary>
    private sealed class DisjointSets
    {
        private readonly int[] parent;
        private readonly int[] size;

        public DisjointSets(int n)
        {
            parent = new int[n];
            size = new int[n];
            for (var i = 0; i < n; i++)
            {
                parent[i] = i;
                size[i] = 1;
            }
        }

        public int Find(int i)
        {
            while (parent[i] != i)
            {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }

            return i;
        }

        public void Union(int a, int b)
        {
            a = Find(a);
            b = Find(b);
            if (a == b)
            {
                return;
            }

            if (size[a] < size[b])
            {
                (a, b) = (b, a);
            }

            parent[b] = a;
            size[a] += size[b];
        }
    }
}
