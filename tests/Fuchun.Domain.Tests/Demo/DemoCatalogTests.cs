using Fuchun.Domain.Demo;
using Fuchun.Domain.LandClasses;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Reference;
using Fuchun.Spatial.Area;
using NetTopologySuite.Coverage;

namespace Fuchun.Domain.Tests.Demo;

public sealed class DemoCatalogTests
{
    private static readonly Lazy<DemoCity> City = new(() => DemoCatalog.Build());

    [Fact]
    public void Build_HasTheCitysRealDistrictsAndTownships()
    {
        var city = City.Value;

        Assert.Equal(13, city.Districts.Count);
        Assert.Equal(191, city.Townships.Count);
        Assert.All(city.Townships, t => Assert.True(t.ShapeIsSynthetic));
        Assert.Contains(city.Districts, d => d is { Code: "330111", Name: "富阳区" });
        Assert.Contains(city.Townships, t => t.Code.StartsWith("330111", StringComparison.Ordinal) && t.Name == "富春街道");
    }

    [Fact]
    public void Build_HasTwentyProjectsInEightDistrictsWithSixPilots()
    {
        var projects = City.Value.Projects;

        Assert.True(projects.Count >= 20);
        Assert.True(projects.Select(p => p.Details.DistrictCode).Distinct().Count() >= 8);
        Assert.True(projects.Count(p => p.Details.IsPilot) >= 6);
        Assert.Equal(projects.Count, projects.Select(p => p.Details.Code).Distinct().Count());
    }

    [Fact]
    public void Build_EveryProjectPassesTheRegistryRules()
    {
        foreach (var p in City.Value.Projects)
        {
            Assert.Empty(ProjectValidator.ValidateDetails(p.Details));
            Assert.Empty(ProjectValidator.ValidateGeometry(p.ProjectArea, p.Zones));
        }
    }

    [Fact]
    public void Build_ParcelLayersTileTheProjectAreaAsAValidCoverage()
    {
        foreach (var p in City.Value.Projects)
        {
            foreach (var (kind, parcels) in p.ParcelLayers)
            {
                var polygons = parcels.SelectMany(x => Enumerable.Range(0, x.Geometry.NumGeometries).Select(x.Geometry.GetGeometryN)).ToArray();
                var invalid = CoverageValidator.Validate(polygons, 0);
                Assert.True(invalid.All(g => g is null), $"{p.Details.Code} {kind}: {invalid.Count(g => g is not null)} parcels break the coverage");

                var sum = parcels.Sum(x => x.AreaM2);
                var area = EllipsoidalArea.OfGeometry(p.ProjectArea);
                Assert.True(Math.Abs(sum - area) / area < 1e-6, $"{p.Details.Code} {kind}: parcels {sum} m² vs area {area} m²");
            }
        }
    }

    [Fact]
    public void Build_LandUseIsRealistic()
    {
        foreach (var p in City.Value.Projects)
        {
            var before = p.ParcelLayers[LayerKind.ParcelsBefore];
            Assert.All(before, x => Assert.True(LandClassCatalog.TryGet(x.LandClass, out _), x.LandClass));
            Assert.InRange(before.Count, 300, 20_000);
            var farmland = before.Where(x => LandClassCatalog.Get(x.LandClass).IsFarmland).ToList();
            var median = farmland.Select(x => x.AreaM2).Order().ElementAt(farmland.Count / 2);
            Assert.InRange(AreaUnits.ToMu(median), 0.5, 4);
            Assert.Contains(before, x => x.LandClass == "1006");
            Assert.Contains(before, x => x.LandClass == "1107");
            Assert.Contains(before, x => x.LandClass == "0702");
            Assert.Contains(before, x => x.IsPbf);
            Assert.All(before.Where(x => x.IsPbf), x => Assert.True(LandClassCatalog.Get(x.LandClass).IsFarmland));
            Assert.All(before, x => Assert.StartsWith(p.Details.DistrictCode, x.LocationCode, StringComparison.Ordinal));

            var after = p.ParcelLayers[LayerKind.ParcelsAfter];
            var farmBefore = farmland.Sum(x => x.AreaM2);
            var farmAfter = after.Where(x => LandClassCatalog.Get(x.LandClass).IsFarmland).Sum(x => x.AreaM2);
            Assert.True(farmAfter > farmBefore, $"{p.Details.Code}: consolidation should add farmland");
            Assert.True(after.Count < before.Count, $"{p.Details.Code}: consolidation merges fields");
            Assert.Single(p.ReferenceLayers[LayerKind.DevelopmentBoundary]);
            Assert.Single(p.ReferenceLayers[LayerKind.EcoRedLine]);
            Assert.Single(p.ReferenceLayers[LayerKind.IndustrialParks]);
        }
    }

    [Fact]
    public void Build_PilotsSpanAtLeastTwoTownshipsOfTheirDistrict()
    {
        foreach (var p in City.Value.Projects.Where(p => p.Details.IsPilot))
        {
            Assert.True(p.Details.TownshipCodes.Count >= 2, p.Details.Code);
            Assert.All(p.Details.TownshipCodes, t => Assert.StartsWith(p.Details.DistrictCode, t, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Build_IsDeterministic()
    {
        var again = DemoCatalog.Build();
        var first = City.Value;

        Assert.Equal(first.Projects.Select(p => p.Details.Code), again.Projects.Select(p => p.Details.Code));
        for (var i = 0; i < first.Projects.Count; i++)
        {
            var a = first.Projects[i].ParcelLayers[LayerKind.ParcelsBefore];
            var b = again.Projects[i].ParcelLayers[LayerKind.ParcelsBefore];
            Assert.Equal(a.Count, b.Count);
            Assert.Equal(a.Select(x => x.LandClass), b.Select(x => x.LandClass));
            Assert.True(a[^1].Geometry.EqualsExact(b[^1].Geometry));
        }
    }

    [Fact]
    public void Districts_AreasMatchTheirPublishedScale()
    {
        // Tianditu's CGCS2000 boundaries total 16 859.6 km² (shared/data/README.md).
        var total = HangzhouReferenceData.Districts.Sum(d => d.AreaM2) / 1e6;
        Assert.InRange(total, 16_850, 16_870);
    }

    [Fact]
    public void Stages_AreSpreadOverTheLifecycle()
    {
        var stages = City.Value.Projects.Select(p => p.Stage).Distinct().Count();
        Assert.Equal(ProjectLifecycle.Order.Count, stages);
    }
}
