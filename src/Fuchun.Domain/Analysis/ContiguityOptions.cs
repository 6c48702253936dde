using Fuchun.Domain.LandClasses;
using Fuchun.Spatial.Area;

namespace Fuchun.Domain.Analysis;

/// <summary>A tier of contiguous block ("百千万" 集中连片) and the least area it needs, in 亩.</summary>
public sealed record BlockTier(string Name, double MinimumMu);

/// <summary>
/// The reading of R04 (<c>rules.md</c>) that the block search applies: parcels joined by shared boundary of
/// positive length, linear connector classes joining their neighbours without adding area, an optional gap
/// tolerance; tiers 万亩方 ≥ 10000 亩, 千亩方 ≥ 1000 亩, 百亩方 ≥ 100 亩. Every part is configurable.
/// </summary>
public sealed record ContiguityOptions
{
    /// <summary>The tier name of a block below the smallest tier (the package contract's <c>none</c>).</summary>
    public const string NoTier = "none";

    public static ContiguityOptions Default { get; } = new();

    /// <summary>Tiers, largest first.</summary>
    public IReadOnlyList<BlockTier> Tiers { get; init; } = [new("万亩方", 10000), new("千亩方", 1000), new("百亩方", 100)];

    /// <summary>Connector classes by code or base code; null means the catalog's (1006 农村道路, 1107 沟渠, 1203 田坎).</summary>
    public IReadOnlySet<string>? ConnectorClasses { get; init; }

    /// <summary>
    /// Gaps up to this width, in metres, join parcels as a shared edge would (0: off). A join across a gap needs
    /// contact along more than three times the tolerance, so that corners near each other still do not join.
    /// </summary>
    public double GapToleranceM { get; init; }

    /// <summary>
    /// Whether connectors also join each other. Off by default: a road joins the fields on either side of it, but
    /// the road network does not make every field along it one block.
    /// </summary>
    public bool ChainConnectors { get; init; }

    /// <summary>The tier of a block of <paramref name="areaM2"/>, or <see cref="NoTier"/>.</summary>
    public string TierOf(double areaM2)
    {
        foreach (var tier in Tiers.OrderByDescending(t => t.MinimumMu))
        {
            if (areaM2 >= AreaUnits.FromMu(tier.MinimumMu))
            {
                return tier.Name;
            }
        }

        return NoTier;
    }

    /// <summary>The smallest tier's threshold in m² (100 亩 by default).</summary>
    public double SmallestTierM2 => Tiers.Count == 0 ? 0 : AreaUnits.FromMu(Tiers.Min(t => t.MinimumMu));

    public bool IsConnector(string code) => ConnectorClasses is { } set
        ? set.Contains(code) || set.Contains(LandClassGroups.BaseCode(code))
        : LandClassCatalog.TryGet(code, out var c) && c.IsConnector;
}
