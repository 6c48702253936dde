using Fuchun.Domain.Analysis;
using Fuchun.Domain.LandClasses;
using Fuchun.Domain.Mosaic;
using Fuchun.Spatial;
using Fuchun.Spatial.Area;
using NetTopologySuite.Coverage;
using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Tests.Analysis;

/// <summary>Properties of the whole analysis on a generated 10k-parcel mosaic, on CGCS2000 ellipsoidal areas.</summary>
public sealed class ProjectAnalysisTests
{
    private static readonly Lazy<AnalysisInput> Mosaic = new(() =>
    {
        var generator = new MosaicGenerator(10_000, seed: 11);
        var inverse = MosaicGenerator.Crs.Projection();
        Geometry ToLonLat(Geometry g) => CoordinateMap.Apply(g, Cgcs2000.PackedFactory, inverse.Inverse);
        ParcelSet Set(IEnumerable<MosaicParcel> parcels)
        {
            var list = parcels.ToList();
            var geometries = list.Select(p => ToLonLat(p.Geometry)).ToArray();
            return new(geometries, [.. list.Select(p => p.LandClass)], [.. geometries.Select(EllipsoidalArea.OfGeometry)],
                [.. list.Select(p => p.IsPbf)], [.. list.Select(p => p.IsHighStandard)], [.. list.Select(p => p.Id)]);
        }

        var before = Set(generator.Before());
        var after = Set(generator.After());
        var zones = generator.Zones.Select((z, i) => new AnalysisZone($"Z{i + 1}", $"整治区{i + 1}", ToLonLat(z))).ToList();
        // The project area is the ground the parcels cover.
        return new("MOSAIC", CoverageUnion.Union([.. before.Geometries]), zones, before, after);
    });

    private static readonly Lazy<AnalysisResult> Result = new(() => ProjectAnalysis.Run(Mosaic.Value));

    [Theory]
    [InlineData(ProjectAnalysis.PbfBefore)]
    [InlineData(ProjectAnalysis.PbfAfter)]
    [InlineData(ProjectAnalysis.FarmlandBefore)]
    [InlineData(ProjectAnalysis.FarmlandAfter)]
    public void EveryMemberIsInExactlyOneBlock_AndBlockAreasSumToTheMembersArea(string set)
    {
        var input = Mosaic.Value;
        var parcels = set.EndsWith("before", StringComparison.Ordinal) ? input.Before : input.After;
        var members = Enumerable.Range(0, parcels.Count)
            .Where(i => set.StartsWith("pbf", StringComparison.Ordinal) ? parcels.Pbf[i] : LandClassGroups.IsFarmland(parcels.Classes[i]))
            .ToList();
        var blocks = Result.Value.Blocks[set];

        var inBlocks = blocks.SelectMany(b => b.ParcelIds).ToList();
        Assert.Equal(inBlocks.Count, inBlocks.Distinct().Count());
        Assert.Equal(members.Select(i => parcels.Ids[i]).Order(), inBlocks.Order());
        var total = members.Sum(i => parcels.Areas[i]);
        Assert.Equal(total, blocks.Sum(b => b.AreaM2), 1e-9 * total);
        Assert.True(blocks.Select(b => b.AreaM2).SequenceEqual(blocks.Select(b => b.AreaM2).OrderDescending()));
        Assert.Contains(blocks, b => b.Tier != ContiguityOptions.NoTier);
        Assert.Contains(blocks, b => b.Tier == ContiguityOptions.NoTier);
    }

    [Theory]
    [InlineData(ProjectAnalysis.PbfBefore)]
    [InlineData(ProjectAnalysis.FarmlandAfter)]
    public void BlockOutlines_AreValid_AndEqualTheUnionOfTheirMembers(string set)
    {
        var input = Mosaic.Value;
        var parcels = set.EndsWith("before", StringComparison.Ordinal) ? input.Before : input.After;
        var blocks = ProjectAnalysis.Blocks(parcels,
            i => set.StartsWith("pbf", StringComparison.Ordinal) ? parcels.Pbf[i] : LandClassGroups.IsFarmland(parcels.Classes[i]),
            ContiguityOptions.Default, withGeometry: true);

        Assert.Contains(blocks, b => b.Geometry is MultiPolygon || ((Polygon)b.Geometry!).NumInteriorRings > 0);
        foreach (var block in blocks.Take(40))
        {
            Assert.True(block.Geometry!.IsValid, $"block of {block.Members.Length} parcels");
            var union = CoverageUnion.Union([.. block.Members.Select(m => parcels.Geometries[m])]);
            Assert.True(block.Geometry.EqualsTopologically(union), $"block of {block.Members.Length} parcels");
            Assert.Equal(EllipsoidalArea.OfGeometry(union), EllipsoidalArea.OfGeometry(block.Geometry), 1e-6 * block.AreaM2);
            Assert.Equal(block.AreaM2, EllipsoidalArea.OfGeometry(block.Geometry), 1e-7 * block.AreaM2);
        }
    }

    [Fact]
    public void TheMatrixMarginsAreTheClassAreas_WithinOneHundredthOfASquareMetre()
    {
        var result = Result.Value;
        var m = result.Transfer;

        foreach (var (code, area) in m.BeforeAreas)
        {
            Assert.Equal(area, m.Cells.Where(c => c.From == code).Sum(c => c.AreaM2), 0.01);
        }

        foreach (var (code, area) in m.AfterAreas)
        {
            Assert.Equal(area, m.Cells.Where(c => c.To == code).Sum(c => c.AreaM2), 0.01);
        }

        Assert.Empty(m.UncoveredBefore);
        Assert.Empty(m.UncoveredAfter);
        // The accounts and the matrix read the same layers in the same scope.
        foreach (var c in result.ProjectAccount.Before.Classes)
        {
            Assert.Equal(c.AreaM2, m.BeforeAreas[c.Code], 1e-6);
        }

        // Consolidation turns something into farmland and the matrix shows it.
        Assert.True(m.Changes.Single(c => c.Group == "耕地").GainM2 > 0);
    }

    [Fact]
    public void EachZonesAccount_AddsUpToTheZonesOwnArea()
    {
        var result = Result.Value;

        Assert.NotEmpty(result.ZoneAccounts);
        foreach (var zone in result.ZoneAccounts)
        {
            // Zones reach beyond the generated ground here; inside it, the parcels cover them exactly.
            var covered = EllipsoidalArea.OfGeometry(Mosaic.Value.Zones.Single(z => z.Id == zone.Scope).Geometry.Intersection(Mosaic.Value.ProjectArea));
            Assert.Equal(covered, zone.Before.TotalM2, 1e-7 * covered);
            Assert.Equal(covered, zone.After.TotalM2, 1e-7 * covered);
        }

        Assert.Equal(result.ProjectAccount.ScopeAreaM2, result.ProjectAccount.Before.TotalM2, 1e-7 * result.ProjectAccount.ScopeAreaM2);
    }

    [Fact]
    public void ResultsDoNotDependOnParcelOrder()
    {
        var input = Mosaic.Value;
        static ParcelSet Shuffle(ParcelSet s, int seed)
        {
            var order = Enumerable.Range(0, s.Count).ToArray();
            new Random(seed).Shuffle(order);
            return new([.. order.Select(i => s.Geometries[i])], [.. order.Select(i => s.Classes[i])], [.. order.Select(i => s.Areas[i])],
                [.. order.Select(i => s.Pbf[i])], [.. order.Select(i => s.HighStandard[i])], [.. order.Select(i => s.Ids[i])]);
        }

        var shuffled = ProjectAnalysis.Run(input with { Before = Shuffle(input.Before, 1), After = Shuffle(input.After, 2) });
        var original = Result.Value;

        foreach (var set in original.Blocks.Keys)
        {
            static List<string> Key(IReadOnlyList<BlockSummary> blocks) =>
                [.. blocks.Select(b => string.Join(',', b.ParcelIds.Order())).Order(StringComparer.Ordinal)];
            Assert.Equal(Key(original.Blocks[set]), Key(shuffled.Blocks[set]));
            Assert.Equal(original.Blocks[set].Select(b => b.AreaM2), shuffled.Blocks[set].Select(b => b.AreaM2), (x, y) => Math.Abs(x - y) < 1e-6);
        }

        Assert.Equal(original.Transfer.Cells.Count, shuffled.Transfer.Cells.Count);
        Assert.All(original.Transfer.Cells.Zip(shuffled.Transfer.Cells), p =>
        {
            Assert.Equal((p.First.From, p.First.To), (p.Second.From, p.Second.To));
            Assert.Equal(p.First.AreaM2, p.Second.AreaM2, 1e-6);
        });
        Assert.Equal(original.FragmentationBefore.Patches, shuffled.FragmentationBefore.Patches);
    }

    [Fact]
    public void Fragmentation_FollowsTheFarmlandBlocks()
    {
        var result = Result.Value;
        var blocks = result.Blocks[ProjectAnalysis.FarmlandBefore];
        var f = result.FragmentationBefore;

        Assert.Equal(blocks.Count, f.Patches);
        Assert.Equal(blocks[0].AreaM2, f.LargestPatchM2);
        Assert.Equal(blocks.Count(b => b.AreaM2 < AreaUnits.FromMu(5)), f.ScatteredPatchesUnder5Mu);
        Assert.InRange(f.ShareInBlocksOf100Mu, 0.0, 1.0);
        // Consolidation merges fields: fewer farmland patches after.
        Assert.True(result.FragmentationAfter.Patches <= f.Patches);
    }
}
