using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Analysis;

public static partial class ContiguousBlocks
{
    /// <summary>
    /// The edges that the polygons of a coverage share, matched in one pass over all of them: each shared edge once,
    /// as (the polygon that came first, its edge ordinal, the polygon that met it, its edge ordinal), in the order
    /// met (polygons in order, each one's rings as <see cref="Rings"/> gives them); and where each polygon's edges
    /// start in an array of all the edges. <c>Deltas</c> holds each match's edge as the polygon that met it runs it
    /// (its end minus its start).
    /// </summary>
    internal sealed record CoverageEdges(
        long[] Offsets, int Edges, List<(int A, int OrdinalA, int B, int OrdinalB)> Matches, List<(double Dx, double Dy)> Deltas)
    {
        /// <summary>Matches the shared edges of <paramref name="geometries"/> (one thread: a caller runs several at once).</summary>
        public static CoverageEdges Of(IReadOnlyList<Geometry> geometries)
        {
            ArgumentNullException.ThrowIfNull(geometries);
            var (offsets, edges) = EdgeOffsets(geometries, roles: null);
            var deltas = new List<(double, double)>((int)(edges / 2));
            var matches = MatchEdges(geometries, roles: null, new EdgeTable(edges + 16), shard: 0, shardBits: 0, (int)(edges / 2), deltas);
            return new(offsets, (int)edges, matches, deltas);
        }
    }

    /// <summary>
    /// Dissolves a coverage by group: the polygons of one group (a land class, say) joined to each other by shared
    /// edges, directly or through others of the group, become one geometry, its outline walked from the edges no
    /// other member shares. The result comes in order of group, then of each block's first member; each block's
    /// members ascend. The same blocks as <see cref="Find"/> with one group's polygons as members and the rest as
    /// breaks, for every group at once from one matching of the edges.
    /// </summary>
    internal static List<(Geometry Geometry, int[] Members)> Dissolve(IReadOnlyList<Geometry> geometries, CoverageEdges edges, IReadOnlyList<int> groups)
    {
        ArgumentNullException.ThrowIfNull(geometries);
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(groups);
        var n = geometries.Count;
        var sets = new DisjointSets(n);
        var twin = GC.AllocateUninitializedArray<int>(edges.Edges);
        Array.Fill(twin, -1);
        foreach (var (a, ordinalA, b, ordinalB) in edges.Matches)
        {
            if (a != b && groups[a] == groups[b])
            {
                sets.Union(a, b);
                twin[edges.Offsets[a] + ordinalA] = (int)(edges.Offsets[b] + ordinalB);
                twin[edges.Offsets[b] + ordinalB] = (int)(edges.Offsets[a] + ordinalA);
            }
        }

        var byRoot = new Dictionary<int, List<int>>();
        for (var i = 0; i < n; i++)
        {
            var root = sets.Find(i);
            if (!byRoot.TryGetValue(root, out var members))
            {
                byRoot[root] = members = [];
            }

            members.Add(i);
        }

        var blocks = byRoot.Values.Select(m => m.ToArray()).OrderBy(m => groups[m[0]]).ThenBy(m => m[0]).ToArray();
        var shared = new SharedEdges(edges.Offsets, twin);
        var result = new (Geometry, int[])[blocks.Length];
        Parallel.For(0, blocks.Length, i => result[i] = (Outline.Build(geometries, blocks[i], shared), blocks[i]));
        return [.. result];
    }
}
