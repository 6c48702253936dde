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
public static partial class ContiguousBlocks
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

        var edges = JoinSharedEdges(geometries, roles, sets, MayJoin);
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
            // Without a gap tolerance, a block's outline is made of its members' edges that no other member shares.
            Parallel.For(0, blocks.Length, i => blocks[i] = blocks[i] with
            {
                Geometry = gapTolerance > 0 ? Union(geometries, blocks[i].Members) : Outline.Build(geometries, blocks[i].Members, edges),
            });
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

    /// <summary>
    /// Which member edges another member shares (the edges inside a block), and which edge of the other member it
    /// is: <see cref="Twin"/> holds the other's edge index, or −1. <see cref="Offsets"/> gives each parcel's first
    /// edge index, its edges counted as <see cref="Rings"/> lists them.
    /// </summary>
    internal sealed record SharedEdges(long[] Offsets, int[] Twin)
    {
        /// <summary>Edges already walked by an outline (blocks have no edge in common, so one array serves all).</summary>
        public bool[] Visited { get; } = new bool[Twin.Length];
    }

    private static SharedEdges JoinSharedEdges(IReadOnlyList<Geometry> geometries, IReadOnlyList<ContiguityRole> roles, DisjointSets sets, Func<int, int, bool> mayJoin)
    {
        var (offsets, edges) = EdgeOffsets(geometries, roles);
        var twin = GC.AllocateUninitializedArray<int>((int)edges);
        Array.Fill(twin, -1);

        // The edges are split by hash into one table per core, each filled by its own thread over all parcels: the
        // random access into a table is what costs, and the shards do it side by side. Matches are applied after.
        var shardBits = BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 16)));
        var shards = 1 << shardBits;
        var matches = new List<(int A, int OrdinalA, int B, int OrdinalB)>[shards];
        Parallel.For(0, shards, new ParallelOptions { MaxDegreeOfParallelism = shards }, shard =>
            matches[shard] = MatchEdges(geometries, roles, new EdgeTable(edges / shards + 16), shard, shardBits, (int)Math.Min(int.MaxValue / 32, edges / shards / 2)));

        foreach (var (a, ordinalA, b, ordinalB) in matches.SelectMany(m => m))
        {
            if (mayJoin(a, b))
            {
                sets.Union(a, b);
                if (roles[a] == ContiguityRole.Member && roles[b] == ContiguityRole.Member)
                {
                    twin[offsets[a] + ordinalA] = (int)(offsets[b] + ordinalB);
                    twin[offsets[b] + ordinalB] = (int)(offsets[a] + ordinalA);
                }
            }
        }

        return new(offsets, twin);
    }

    /// <summary>
    /// Where each polygon's edges start in an array of the edges of all the polygons taking part (all when
    /// <paramref name="roles"/> is null), counted as <see cref="Rings"/> lists them, and how many slots that takes.
    /// </summary>
    private static (long[] Offsets, long Edges) EdgeOffsets(IReadOnlyList<Geometry> geometries, IReadOnlyList<ContiguityRole>? roles)
    {
        long edges = 0;
        var offsets = new long[geometries.Count];
        for (var i = 0; i < geometries.Count; i++)
        {
            offsets[i] = edges;
            if (roles is null || roles[i] != ContiguityRole.None)
            {
                edges += geometries[i].NumPoints;
            }
        }

        if (edges >= int.MaxValue)
        {
            throw new ArgumentException("too many vertices for one block search", nameof(geometries));
        }

        return (offsets, edges);
    }

    /// <summary>
    /// The shared edges of the polygons taking part (all when <paramref name="roles"/> is null) whose hash falls in
    /// <paramref name="shard"/> of 2^<paramref name="shardBits"/>, each as (the owner that came first, its edge
    /// ordinal, the owner that met it, its edge ordinal), in the order met: polygons in order, each one's rings as
    /// <see cref="Rings"/> gives them. <paramref name="deltas"/>, if given, gets each match's edge as the polygon
    /// that met it runs it (its end minus its start).
    /// </summary>
    private static List<(int A, int OrdinalA, int B, int OrdinalB)> MatchEdges(
        IReadOnlyList<Geometry> geometries, IReadOnlyList<ContiguityRole>? roles, EdgeTable table, int shard, int shardBits, int capacity,
        List<(double Dx, double Dy)>? deltas = null)
    {
        var found = new List<(int, int, int, int)>(capacity);
        for (var p = 0; p < geometries.Count; p++)
        {
            if (roles is not null && roles[p] == ContiguityRole.None)
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
                        var key = EdgeTable.Key(x1, y1, x2, y2);
                        if (shardBits == 0 || (int)(key >> (64 - shardBits)) == shard)
                        {
                            var (other, otherOrdinal) = table.AddOrMatch(key, p, ordinal, x1, y1, x2, y2);
                            if (other >= 0)
                            {
                                found.Add((other, otherOrdinal, p, ordinal));
                                deltas?.Add((x2 - x1, y2 - y1));
                            }
                        }
                    }

                    (x1, y1) = (x2, y2);
                }
            }
        }

        return found;
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

    /// <summary>
    /// An open-addressing table of undirected edges, one per shard of the hash space: slots of 32 hash bits and an
    /// index into the edges kept in the order added, whose coordinates confirm a match exactly.
    /// </summary>
    private sealed class EdgeTable
    {
        private readonly Slot[] slots;
        private readonly ulong mask;
        private Stored[] stored;
        private int count;

        public EdgeTable(long edges)
        {
            // About half the edges are added (the other half match them): a load of a quarter to a half.
            var capacity = BitOperations.RoundUpToPowerOf2((ulong)Math.Max(16, edges));
            slots = new Slot[capacity];
            mask = capacity - 1;
            // Not zeroed, so that the pages the table never reaches are never touched.
            stored = GC.AllocateUninitializedArray<Stored>((int)Math.Max(16, (edges / 2) + (edges / 8)));
        }

        /// <summary>A slot of the hash table: 32 bits of the edge's hash, and (1-based) where the edge is kept.</summary>
        private struct Slot
        {
            public uint Fragment;
            public int Index;
        }

        /// <summary>An edge as added, in the order added: coordinates to confirm a match, owner and edge ordinal.</summary>
        private struct Stored
        {
            public double X1, Y1, X2, Y2;
            public int Owner, Ordinal;
        }

        /// <summary>The hash of an undirected edge (the same whichever way round its end points are given).</summary>
        public static ulong Key(double x1, double y1, double x2, double y2) =>
            x2 < x1 || (x2 == x1 && y2 < y1) ? Hash(x2, y2, x1, y1) : Hash(x1, y1, x2, y2);

        /// <summary>Adds the edge for <paramref name="owner"/>, or returns the owner (and its edge) it was already added for (else −1).</summary>
        public (int Owner, int Ordinal) AddOrMatch(ulong key, int owner, int ordinal, double x1, double y1, double x2, double y2)
        {
            var slot = key & mask;
            var fragment = (uint)(key >> 32);
            while (slots[slot].Index != 0)
            {
                if (slots[slot].Fragment == fragment)
                {
                    // Confirmed on the coordinates themselves: a hash match alone is not taken for a shared edge.
                    ref var e = ref stored[slots[slot].Index - 1];
                    if (e.Owner != owner && ((e.X1 == x1 && e.Y1 == y1 && e.X2 == x2 && e.Y2 == y2) || (e.X1 == x2 && e.Y1 == y2 && e.X2 == x1 && e.Y2 == y1)))
                    {
                        return (e.Owner, e.Ordinal);
                    }
                }

                slot = (slot + 1) & mask;
            }

            if (count == stored.Length)
            {
                Array.Resize(ref stored, stored.Length * 2);
            }

            stored[count] = new Stored { X1 = x1, Y1 = y1, X2 = x2, Y2 = y2, Owner = owner, Ordinal = ordinal };
            slots[slot] = new Slot { Fragment = fragment, Index = ++count };
            return (-1, -1);
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
