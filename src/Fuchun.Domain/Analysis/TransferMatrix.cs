using System.Collections.Concurrent;
using Fuchun.Domain.LandClasses;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace Fuchun.Domain.Analysis;

/// <summary>One cell of a transfer matrix: the area that was <see cref="From"/> before and is <see cref="To"/> after.</summary>
public sealed record TransferCell(string From, string To, double AreaM2);

/// <summary>Gross gain, gross loss and net change of a class group across the transfer matrix.</summary>
public sealed record GroupChange(string Group, double GainM2, double LossM2)
{
    public double NetM2 => GainM2 - LossM2;
}

/// <summary>
/// The land class transfer matrix (地类转移矩阵) and what the two layers' classes add up to within the scope.
/// <see cref="UncoveredBefore"/> is the area of a before class that no after parcel covers (and the reverse): zero,
/// to rounding, when both layers cover the same ground.
/// </summary>
public sealed record TransferMatrixResult(
    IReadOnlyList<TransferCell> Cells,
    IReadOnlyDictionary<string, double> BeforeAreas,
    IReadOnlyDictionary<string, double> AfterAreas,
    IReadOnlyDictionary<string, double> UncoveredBefore,
    IReadOnlyDictionary<string, double> UncoveredAfter,
    IReadOnlyList<GroupChange> Changes);

/// <summary>
/// Computes the transfer matrix by overlaying the before and after layers (they need not share boundaries).
/// </summary>
/// <remarks>
/// Each before parcel is matched against the after parcels whose envelopes meet it. Most of a consolidation
/// project is unchanged or merged, so before the exact overlay two cheaper answers are tried: the same polygon
/// (vertex for vertex) and an after parcel that covers the before parcel whole; only parcels cut by a new
/// boundary are intersected, with the after parcels that overlap them most first, until the parcel's area is
/// accounted for, so that neighbours that merely touch it are seldom overlaid. Parcels are worked in parallel.
/// </remarks>
public static class TransferMatrix
{
    /// <summary>The groups whose gross gains and losses a report shows (耕地, 建设用地, 林地, 水域).</summary>
    public static IReadOnlyList<(string Group, Func<string, bool> Contains)> ReportedGroups { get; } =
    [
        ("耕地", LandClassGroups.IsFarmland),
        ("建设用地", LandClassGroups.IsConstruction),
        ("林地", LandClassGroups.IsForest),
        ("水域", LandClassGroups.IsWater),
    ];

    /// <summary>The matrix of <paramref name="before"/> × <paramref name="after"/> inside <paramref name="scope"/> (null: everywhere).</summary>
    public static TransferMatrixResult Compute(ParcelSet before, ParcelSet after, AreaScope? scope, Func<Geometry, double> area)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(area);
        var beforePieces = Clip(before, scope);
        var afterPieces = Clip(after, scope);

        var tree = new STRtree<int>();
        for (var j = 0; j < afterPieces.Length; j++)
        {
            if (afterPieces[j].Piece is { } g)
            {
                tree.Insert(g.EnvelopeInternal, j);
            }
        }

        tree.Build();
        var preparedAfter = new IPreparedGeometry?[afterPieces.Length];
        var cells = new ConcurrentDictionary<(string, string), double>();
        Parallel.For(0, beforePieces.Length,
            () => new Dictionary<(string, string), double>(),
            (i, _, local) =>
            {
                if (beforePieces[i].Piece is not { } piece)
                {
                    return local;
                }

                var from = before.Classes[i];
                void Add(int j, double area)
                {
                    var key = (from, after.Classes[j]);
                    local[key] = local.GetValueOrDefault(key) + area;
                }

                var candidates = tree.Query(piece.EnvelopeInternal);
                var envelope = piece.EnvelopeInternal;

                // Unchanged, or inside one after parcel whole: the piece's own area, no overlay.
                foreach (var j in candidates)
                {
                    var other = afterPieces[j].Piece!;
                    if (other.EnvelopeInternal.Equals(envelope) && piece.EqualsExact(other))
                    {
                        Add(j, beforePieces[i].Area);
                        return local;
                    }
                }

                foreach (var j in candidates)
                {
                    if (afterPieces[j].Piece!.EnvelopeInternal.Covers(envelope) && Covers(afterPieces[j].Piece!, j, piece, preparedAfter))
                    {
                        Add(j, beforePieces[i].Area);
                        return local;
                    }
                }

                // Cut by new boundaries: overlay with the after parcels, those overlapping most first, until the
                // piece's area is accounted for (the rest are neighbours that only touch it).
                var remaining = beforePieces[i].Area;
                foreach (var j in candidates.OrderByDescending(j => Overlap(envelope, afterPieces[j].Piece!.EnvelopeInternal)))
                {
                    if (remaining <= 1e-9 * beforePieces[i].Area || Overlap(envelope, afterPieces[j].Piece!.EnvelopeInternal) <= 0)
                    {
                        break;
                    }

                    var shared = AreaScope.Polygonal(OverlayNGRobust.Overlay(piece, afterPieces[j].Piece!, SpatialFunction.Intersection)) is { } g ? area(g) : 0;
                    if (shared > 0)
                    {
                        Add(j, shared);
                        remaining -= shared;
                    }
                }

                return local;
            },
            local =>
            {
                foreach (var (key, value) in local)
                {
                    cells.AddOrUpdate(key, value, (_, v) => v + value);
                }
            });

        var beforeAreas = Totals(before, beforePieces);
        var afterAreas = Totals(after, afterPieces);
        var list = cells.Select(kv => new TransferCell(kv.Key.Item1, kv.Key.Item2, kv.Value))
            .OrderBy(c => c.From, StringComparer.Ordinal).ThenBy(c => c.To, StringComparer.Ordinal).ToList();
        var uncoveredBefore = Uncovered(beforeAreas, list.GroupBy(c => c.From).ToDictionary(g => g.Key, g => g.Sum(c => c.AreaM2)));
        var uncoveredAfter = Uncovered(afterAreas, list.GroupBy(c => c.To).ToDictionary(g => g.Key, g => g.Sum(c => c.AreaM2)));
        var changes = ReportedGroups.Select(g => new GroupChange(
            g.Group,
            list.Where(c => !g.Contains(c.From) && g.Contains(c.To)).Sum(c => c.AreaM2),
            list.Where(c => g.Contains(c.From) && !g.Contains(c.To)).Sum(c => c.AreaM2))).ToList();
        return new(list, beforeAreas, afterAreas, uncoveredBefore, uncoveredAfter, changes);
    }

    private static double Overlap(Envelope a, Envelope b) =>
        Math.Max(0, Math.Min(a.MaxX, b.MaxX) - Math.Max(a.MinX, b.MinX)) * Math.Max(0, Math.Min(a.MaxY, b.MaxY) - Math.Max(a.MinY, b.MinY));

    private static bool Covers(Geometry other, int j, Geometry piece, IPreparedGeometry?[] preparedAfter)
    {
        var prepared = Volatile.Read(ref preparedAfter[j]);
        if (prepared is null)
        {
            // Prepared geometries are not safe to share while their indexes are built; each thread that gets here
            // first prepares its own, and one of them is kept for the threads that come later.
            prepared = PreparedGeometryFactory.Prepare(other);
            prepared.Covers(piece);
            prepared = Interlocked.CompareExchange(ref preparedAfter[j], prepared, null) ?? prepared;
        }

        lock (prepared)
        {
            return prepared.Covers(piece);
        }
    }

    private static (Geometry? Piece, double Area)[] Clip(ParcelSet set, AreaScope? scope)
    {
        var pieces = new (Geometry?, double)[set.Count];
        Parallel.For(0, set.Count, i => pieces[i] = scope is null ? (set.Geometries[i], set.Areas[i]) : scope.Clip(set.Geometries[i], set.Areas[i]));
        return pieces;
    }

    private static Dictionary<string, double> Totals(ParcelSet set, (Geometry? Piece, double Area)[] pieces)
    {
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < pieces.Length; i++)
        {
            if (pieces[i].Piece is not null)
            {
                totals[set.Classes[i]] = totals.GetValueOrDefault(set.Classes[i]) + pieces[i].Area;
            }
        }

        return totals;
    }

    private static Dictionary<string, double> Uncovered(Dictionary<string, double> totals, Dictionary<string, double> matched) =>
        totals.Select(kv => (kv.Key, Value: kv.Value - matched.GetValueOrDefault(kv.Key)))
            .Where(kv => Math.Abs(kv.Value) >= 0.005)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
}
