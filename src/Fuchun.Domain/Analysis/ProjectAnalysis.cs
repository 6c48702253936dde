using Fuchun.Spatial.Area;
using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Analysis;

/// <summary>A consolidation zone (整治区) as the analysis sees it.</summary>
public sealed record AnalysisZone(string Id, string Name, Geometry Geometry);

/// <summary>What the analysis of a project reads: its area, zones, parcel layers and the reference layers it needs.</summary>
public sealed record AnalysisInput(
    string Project, Geometry ProjectArea, IReadOnlyList<AnalysisZone> Zones, ParcelSet Before, ParcelSet After,
    Geometry? DevelopmentBoundary = null, Geometry? EcoRedLine = null);

/// <summary>A contiguous block as reported: area, tier, the ids of its parcels, and its outline when asked for.</summary>
public sealed record BlockSummary(double AreaM2, string Tier, IReadOnlyList<long> ParcelIds, Geometry? Geometry);

/// <summary>What kind of layout-adjustment candidate a PBF finding is (paragraph (十)).</summary>
public enum PbfFindingKind
{
    /// <summary>PBF inside the urban development boundary (开天窗).</summary>
    Enclave,

    /// <summary>A PBF block below the smallest tier, inside or across the development boundary (碎片化).</summary>
    Fragment,

    /// <summary>PBF that meets the ecological protection red line.</summary>
    RedLine,
}

/// <summary>PBF parcels (one, or a block's) that are candidates for layout adjustment, and how much of them is concerned.</summary>
public sealed record PbfFinding(string Layer, PbfFindingKind Kind, IReadOnlyList<long> ParcelIds, double AreaM2, double InsideM2);

/// <summary>Fragmentation of farmland (耕地) in one layer: its contiguous patches and how scattered they are.</summary>
public sealed record Fragmentation(
    double FarmlandM2, int Patches, double MeanPatchM2, double LargestPatchM2, double ShareInBlocksOf100Mu,
    int ScatteredPatchesUnder5Mu, int ParcelsInScatteredPatches);

/// <summary>The analysis (分析研判) of one project.</summary>
public sealed record AnalysisResult(
    string Project,
    ContiguityOptions Contiguity,
    LandUseAccount ProjectAccount,
    IReadOnlyList<LandUseAccount> ZoneAccounts,
    TransferMatrixResult Transfer,
    IReadOnlyDictionary<string, IReadOnlyList<BlockSummary>> Blocks,
    IReadOnlyList<PbfFinding> PbfFindings,
    Fragmentation FragmentationBefore,
    Fragmentation FragmentationAfter);

/// <summary>Runs every part of a project's analysis on CGCS2000 ellipsoidal areas.</summary>
public static class ProjectAnalysis
{
    /// <summary>The names of the four block sets, as the package contract writes them.</summary>
    public const string PbfBefore = "pbf_before", PbfAfter = "pbf_after", FarmlandBefore = "farmland_before", FarmlandAfter = "farmland_after";

    private static readonly Func<Geometry, double> Area = EllipsoidalArea.OfGeometry;

    public static AnalysisResult Run(AnalysisInput input, ContiguityOptions? contiguity = null, bool withGeometry = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        contiguity ??= ContiguityOptions.Default;
        using var projectScope = new AreaScope(input.ProjectArea, Area);
        var projectAccount = new LandUseAccount("project", input.Project, Area(input.ProjectArea),
            LandUseAccounts.Of(input.Before, projectScope), LandUseAccounts.Of(input.After, projectScope));
        var zoneAccounts = input.Zones.Select(z =>
        {
            using var scope = new AreaScope(z.Geometry, Area);
            return new LandUseAccount(z.Id, z.Name, Area(z.Geometry), LandUseAccounts.Of(input.Before, scope), LandUseAccounts.Of(input.After, scope));
        }).ToList();
        var transfer = TransferMatrix.Compute(input.Before, input.After, projectScope, Area);

        var raw = BlockSets.ToDictionary(set => set, set => RawBlocks(input, set, contiguity, withGeometry));
        var blocks = raw.ToDictionary(kv => kv.Key, kv => Summaries(Layer(input, kv.Key), kv.Value));

        var findings = new List<PbfFinding>();
        findings.AddRange(PbfFindings("parcels_before", input.Before, raw[PbfBefore], input, contiguity));
        findings.AddRange(PbfFindings("parcels_after", input.After, raw[PbfAfter], input, contiguity));
        return new(input.Project, contiguity, projectAccount, zoneAccounts, transfer, blocks, findings,
            FragmentationOf(input.Before, raw[FarmlandBefore]), FragmentationOf(input.After, raw[FarmlandAfter]));
    }

    /// <summary>The four block sets, in the contract's order.</summary>
    public static IReadOnlyList<string> BlockSets { get; } = [PbfBefore, PbfAfter, FarmlandBefore, FarmlandAfter];

    /// <summary>One set of blocks of a project (<see cref="PbfBefore"/>, …), with their outlines when asked for.</summary>
    public static IReadOnlyList<BlockSummary> BlockSet(AnalysisInput input, string set, ContiguityOptions contiguity, bool withGeometry)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Summaries(Layer(input, set), RawBlocks(input, set, contiguity, withGeometry));
    }

    /// <summary>The land-use account of the before and after layers inside any polygon (drawn on the map, uploaded).</summary>
    public static LandUseAccount AccountFor(AnalysisInput input, Geometry polygon, string scope = "polygon", string name = "")
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(polygon);
        using var area = new AreaScope(polygon, Area);
        return new(scope, name, Area(polygon), LandUseAccounts.Of(input.Before, area), LandUseAccounts.Of(input.After, area));
    }

    private static ParcelSet Layer(AnalysisInput input, string set) => set switch
    {
        PbfBefore or FarmlandBefore => input.Before,
        PbfAfter or FarmlandAfter => input.After,
        _ => throw new ArgumentOutOfRangeException(nameof(set), set, "not a block set"),
    };

    private static IReadOnlyList<ContiguousBlock> RawBlocks(AnalysisInput input, string set, ContiguityOptions contiguity, bool withGeometry)
    {
        var parcels = Layer(input, set);
        Func<int, bool> member = set is PbfBefore or PbfAfter ? i => parcels.Pbf[i] : i => LandClasses.LandClassGroups.IsFarmland(parcels.Classes[i]);
        return Blocks(parcels, member, contiguity, withGeometry);
    }

    private static IReadOnlyList<BlockSummary> Summaries(ParcelSet parcels, IReadOnlyList<ContiguousBlock> blocks) =>
        [.. blocks.Select(b => new BlockSummary(b.AreaM2, b.Tier, [.. b.Members.Select(m => parcels.Ids[m])], b.Geometry))];

    /// <summary>The contiguous blocks of the parcels for which <paramref name="member"/> holds, connectors joining.</summary>
    public static IReadOnlyList<ContiguousBlock> Blocks(ParcelSet parcels, Func<int, bool> member, ContiguityOptions contiguity, bool withGeometry)
    {
        ArgumentNullException.ThrowIfNull(parcels);
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(contiguity);
        var roles = new ContiguityRole[parcels.Count];
        for (var i = 0; i < roles.Length; i++)
        {
            roles[i] = member(i) ? ContiguityRole.Member : contiguity.IsConnector(parcels.Classes[i]) ? ContiguityRole.Connector : ContiguityRole.None;
        }

        var geometries = parcels.Geometries;
        var tolerance = 0.0;
        if (contiguity.GapToleranceM > 0 && parcels.Count > 0)
        {
            // Gaps are measured in metres: the geometries go to a local equirectangular frame (scale error well
            // under 1 % across a project), where the tolerance is applied as it is.
            var centre = parcels.Geometries.Aggregate(new Envelope(), (e, g) => { e.ExpandToInclude(g.EnvelopeInternal); return e; }).Centre;
            var metresPerDegreeY = Math.PI / 180 * Fuchun.Spatial.Cgcs2000.SemiMajorAxis;
            var metresPerDegreeX = metresPerDegreeY * Math.Cos(centre.Y * Math.PI / 180);
            geometries = [.. parcels.Geometries.Select(g =>
            {
                var copy = g.Copy();
                copy.Apply(new NetTopologySuite.Geometries.Utilities.AffineTransformation(metresPerDegreeX, 0, -centre.X * metresPerDegreeX, 0, metresPerDegreeY, -centre.Y * metresPerDegreeY));
                return copy;
            })];
            tolerance = contiguity.GapToleranceM;
        }

        if (tolerance == 0)
        {
            return ContiguousBlocks.Find(geometries, roles, parcels.Areas, contiguity.TierOf, contiguity.ChainConnectors, 0, withGeometry);
        }

        // Across gaps the members do not share all their edges: their outline is a general (coverage) union.
        var blocks = ContiguousBlocks.Find(geometries, roles, parcels.Areas, contiguity.TierOf, contiguity.ChainConnectors, tolerance, withGeometry: false);
        return withGeometry
            ? [.. blocks.AsParallel().AsOrdered().Select(b => b with { Geometry = ContiguousBlocks.Union(parcels.Geometries, b.Members) })]
            : blocks;
    }

    private static IEnumerable<PbfFinding> PbfFindings(string layer, ParcelSet parcels, IReadOnlyList<ContiguousBlock> pbfBlocks, AnalysisInput input, ContiguityOptions contiguity)
    {
        if (input.DevelopmentBoundary is { } boundary)
        {
            using var scope = new AreaScope(boundary, Area);
            for (var i = 0; i < parcels.Count; i++)
            {
                if (parcels.Pbf[i] && scope.Clip(parcels.Geometries[i], parcels.Areas[i]).Area is var inside and > 0)
                {
                    yield return new(layer, PbfFindingKind.Enclave, [parcels.Ids[i]], parcels.Areas[i], inside);
                }
            }

            foreach (var block in pbfBlocks.Where(b => b.AreaM2 < contiguity.SmallestTierM2))
            {
                var inside = block.Members.Sum(m => scope.Clip(parcels.Geometries[m], parcels.Areas[m]).Area);
                if (inside > 0)
                {
                    yield return new(layer, PbfFindingKind.Fragment, [.. block.Members.Select(m => parcels.Ids[m])], block.AreaM2, inside);
                }
            }
        }

        if (input.EcoRedLine is { } redLine)
        {
            using var scope = new AreaScope(redLine, Area);
            for (var i = 0; i < parcels.Count; i++)
            {
                if (parcels.Pbf[i] && scope.Intersects(parcels.Geometries[i]))
                {
                    yield return new(layer, PbfFindingKind.RedLine, [parcels.Ids[i]], parcels.Areas[i], scope.Clip(parcels.Geometries[i], parcels.Areas[i]).Area);
                }
            }
        }
    }

    /// <summary>Fragmentation indicators from the farmland blocks of a layer.</summary>
    public static Fragmentation FragmentationOf(ParcelSet parcels, IReadOnlyList<ContiguousBlock> farmlandBlocks)
    {
        ArgumentNullException.ThrowIfNull(farmlandBlocks);
        var total = farmlandBlocks.Sum(b => b.AreaM2);
        var scattered = farmlandBlocks.Where(b => b.AreaM2 < AreaUnits.FromMu(5)).ToList();
        return new(
            total,
            farmlandBlocks.Count,
            farmlandBlocks.Count == 0 ? 0 : total / farmlandBlocks.Count,
            farmlandBlocks.Count == 0 ? 0 : farmlandBlocks.Max(b => b.AreaM2),
            total == 0 ? 0 : farmlandBlocks.Where(b => b.AreaM2 >= AreaUnits.FromMu(100)).Sum(b => b.AreaM2) / total,
            scattered.Count,
            scattered.Sum(b => b.Members.Length));
    }
}
