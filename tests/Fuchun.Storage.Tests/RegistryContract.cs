using System.Text.Json;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Mosaic;
using Fuchun.Domain.Projects;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.Crs;
using Fuchun.Spatial.IO;
using Fuchun.Spatial.Tiles;
using Fuchun.Storage.Layers;
using Fuchun.Storage.Projects;
using Fuchun.Storage.Seeding;
using Fuchun.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;

namespace Fuchun.Storage.Tests;

/// <summary>
/// The registry's behaviour, the same on both backends: each test runs against a fresh migrated database of the
/// backend its subclass names.
/// </summary>
public abstract class RegistryContract : IAsyncLifetime
{
    private TestDatabase? database;
    private AsyncServiceScope scope;

    protected abstract DatabaseProvider Provider { get; }

    protected TestDatabase Database => database!;

    protected FuchunDbContext Db => scope.ServiceProvider.GetRequiredService<FuchunDbContext>();

    protected ProjectRegistry Registry => scope.ServiceProvider.GetRequiredService<ProjectRegistry>();

    protected ILayerStore LayerStore => scope.ServiceProvider.GetRequiredService<ILayerStore>();

    public async ValueTask InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(Provider);
        scope = database.Services.CreateAsyncScope();
        // Reference data only: the full demo is seeded in its own test.
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(withProjects: false, cancellationToken: TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await scope.DisposeAsync();
        if (database is not null)
        {
            await database.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static ProjectDetails Details(string code = "330111-2025-901", bool pilot = true) => new()
    {
        Code = code,
        Name = "富阳区银湖—富春跨乡镇土地综合整治试点项目",
        DistrictCode = "330111",
        TownshipCodes = pilot ? ["330111001", "330111002"] : ["330111001"],
        IsPilot = pilot,
        ApprovedOn = new DateOnly(2024, 3, 1),
        PlannedCompletion = new DateOnly(2026, 12, 31),
        InvestmentMode = InvestmentMode.FinancingEpc,
        FundingSources = [FundingSource.City, FundingSource.SpecialBonds],
        PlannedInvestmentWanYuan = 12345.6m,
    };

    internal static MultiPolygon Square(double lon, double lat, double size) =>
        GeoJsonGeometryReader.ReadMultiPolygon(
            $$"""{"type":"Polygon","coordinates":[[[{{lon}},{{lat}}],[{{lon + size}},{{lat}}],[{{lon + size}},{{lat + size}}],[{{lon}},{{lat + size}}],[{{lon}},{{lat}}]]]}""");

    [Fact]
    public async Task Seed_ReferenceData_HasDistrictsAndTownships()
    {
        Assert.Equal(13, await Db.Districts.CountAsync(Ct));
        Assert.Equal(191, await Db.Townships.CountAsync(Ct));
        var fuyang = await Db.Districts.SingleAsync(d => d.Code == "330111", Ct);
        Assert.Equal("富阳区", fuyang.Name);
        Assert.InRange(fuyang.AreaM2 / 1e6, 1700, 1900);
        Assert.Equal(Fuchun.Spatial.Cgcs2000.Srid, fuyang.Boundary.SRID);
    }

    [Fact]
    public async Task Create_ValidProject_IsStoredWithItsCreationRecorded()
    {
        await Registry.CreateAsync(Details(), "tester", cancellationToken: Ct);

        var stored = await Registry.GetAsync("330111-2025-901", Ct);
        Assert.Equal(ProjectStage.Reserve, stored.Stage);
        Assert.Equal(["330111001", "330111002"], stored.TownshipCodes);
        Assert.Equal([FundingSource.City, FundingSource.SpecialBonds], stored.FundingSources);
        Assert.Equal(12345.6m, stored.PlannedInvestmentWanYuan);
        var change = Assert.Single(await Registry.HistoryAsync("330111-2025-901", Ct));
        Assert.Equal(ProjectChangeKind.Created, change.Kind);
        Assert.Equal("tester", change.Actor);
        Assert.Null(change.Before);
        Assert.Contains("富阳区银湖", change.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_PilotWithOneTownship_StoresNothing()
    {
        var error = await Assert.ThrowsAsync<DomainValidationException>(() => Registry.CreateAsync(Details(pilot: true) with { TownshipCodes = ["330111001"] }, "tester", cancellationToken: Ct));

        Assert.Equal("townshipCodes", Assert.Single(error.Errors).Field);
        Assert.Equal(0, await Db.Projects.CountAsync(Ct));
        Assert.Equal(0, await Db.ProjectChanges.CountAsync(Ct));
    }

    [Fact]
    public async Task Create_DuplicateCode_IsRejectedOnTheCodeField()
    {
        await Registry.CreateAsync(Details(), "tester", cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<DomainValidationException>(() => Registry.CreateAsync(Details(), "tester", cancellationToken: Ct));

        Assert.Equal("code", Assert.Single(error.Errors).Field);
        Assert.Equal(1, await Db.Projects.CountAsync(Ct));
    }

    [Fact]
    public async Task Update_RecordsBeforeAndAfter()
    {
        await Registry.CreateAsync(Details(), "a", cancellationToken: Ct);

        await Registry.UpdateAsync("330111-2025-901", Details() with { Name = "改名后的项目" }, "b", cancellationToken: Ct);

        var change = (await Registry.HistoryAsync("330111-2025-901", Ct))[^1];
        Assert.Equal(ProjectChangeKind.Edited, change.Kind);
        Assert.Equal("b", change.Actor);
        Assert.Equal("富阳区银湖—富春跨乡镇土地综合整治试点项目", JsonDocument.Parse(change.Before!).RootElement.GetProperty("name").GetString());
        Assert.Equal("改名后的项目", JsonDocument.Parse(change.After!).RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task ReplaceGeometry_ZoneOutsideArea_LeavesGeometryUnchanged()
    {
        await Registry.CreateAsync(Details(), "a", cancellationToken: Ct);
        var area = Square(119.9, 30.0, 0.02);
        await Registry.ReplaceGeometryAsync("330111-2025-901", new ProjectGeometry(area, [new ZoneInput("Z1", "一号整治区", Square(119.905, 30.005, 0.005))]), "a", Ct);

        await Assert.ThrowsAsync<DomainValidationException>(() =>
            Registry.ReplaceGeometryAsync("330111-2025-901", new ProjectGeometry(Square(119.9, 30.0, 0.01), [new ZoneInput("Z1", "一号整治区", Square(119.905, 30.005, 0.01))]), "a", Ct));

        scope.ServiceProvider.GetRequiredService<FuchunDbContext>().ChangeTracker.Clear();
        var stored = await Registry.GetAsync("330111-2025-901", Ct);
        Assert.True(stored.ProjectArea!.EqualsExact(area));
        Assert.Equal(EllipsoidalArea.OfGeometry(area), stored.AreaM2, 6);
        var zone = Assert.Single(stored.Zones);
        Assert.Equal("Z1", zone.ZoneCode);
        Assert.Equal(2, (await Registry.HistoryAsync("330111-2025-901", Ct)).Count);
    }

    [Fact]
    public async Task MoveStage_FollowsTheLifecycle()
    {
        await Registry.CreateAsync(Details(), "a", cancellationToken: Ct);

        await Assert.ThrowsAsync<DomainValidationException>(() => Registry.MoveStageAsync("330111-2025-901", ProjectStage.Approval, null, "a", Ct));
        await Registry.MoveStageAsync("330111-2025-901", ProjectStage.SurveyEvaluation, null, "a", Ct);
        // 立项 only within an approved annual plan of the district for this year (paragraph (七)).
        var unplanned = await Assert.ThrowsAsync<DomainValidationException>(() => Registry.MoveStageAsync("330111-2025-901", ProjectStage.Approval, null, "a", Ct));
        Assert.Contains("年度实施计划", Assert.Single(unplanned.Errors).Message, StringComparison.Ordinal);
        await PlanFixtures.ListForApprovalAsync(Database.Services, "330111", "330111-2025-901");
        // ... and with its approval reply filed.
        Assert.Equal("documents", Assert.Single((await Assert.ThrowsAsync<DomainValidationException>(() => Registry.MoveStageAsync("330111-2025-901", ProjectStage.Approval, null, "a", Ct))).Errors).Field);
        await DocumentFixtures.FileAsync(Database.Services, "330111-2025-901", "approval_reply");
        await Registry.MoveStageAsync("330111-2025-901", ProjectStage.Approval, null, "a", Ct);
        var noReason = await Assert.ThrowsAsync<DomainValidationException>(() => Registry.MoveStageAsync("330111-2025-901", ProjectStage.SurveyEvaluation, " ", "a", Ct));
        Assert.Equal("comment", Assert.Single(noReason.Errors).Field);
        await Registry.MoveStageAsync("330111-2025-901", ProjectStage.SurveyEvaluation, "补充调查评价材料", "city", Ct);

        var history = await Registry.HistoryAsync("330111-2025-901", Ct);
        Assert.Equal(ProjectStage.SurveyEvaluation, (await Registry.GetAsync("330111-2025-901", Ct)).Stage);
        Assert.Equal(
            [ProjectChangeKind.Created, ProjectChangeKind.StageChanged, ProjectChangeKind.StageChanged, ProjectChangeKind.StageChanged],
            history.Select(h => h.Kind));
        Assert.Equal("补充调查评价材料", history[^1].Comment);
        Assert.Contains("Approval", history[^1].Before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_FiltersSortsAndPages()
    {
        for (var i = 0; i < 5; i++)
        {
            await Registry.CreateAsync(Details($"330111-2025-9{i:00}", pilot: i % 2 == 0), "a", cancellationToken: Ct);
        }

        await Registry.CreateAsync(Details("330112-2025-900", pilot: false) with { DistrictCode = "330112", TownshipCodes = [] }, "a", cancellationToken: Ct);

        var fuyang = await Registry.ListAsync(new ProjectQuery { DistrictCode = "330111" }, Ct);
        Assert.Equal(5, fuyang.Total);
        var pilots = await Registry.ListAsync(new ProjectQuery { IsPilot = true }, Ct);
        Assert.Equal(3, pilots.Total);
        var page2 = await Registry.ListAsync(new ProjectQuery { PageSize = 2, Page = 2, Sort = ProjectSort.Code, Descending = true }, Ct);
        Assert.Equal(6, page2.Total);
        Assert.Equal(["330111-2025-903", "330111-2025-902"], page2.Items.Select(p => p.Code));
        var recent = await Registry.ListAsync(new ProjectQuery { Sort = ProjectSort.UpdatedAt, Descending = true, PageSize = 1 }, Ct);
        Assert.Single(recent.Items);
        var search = await Registry.ListAsync(new ProjectQuery { Search = "330112" }, Ct);
        Assert.Equal("330112-2025-900", Assert.Single(search.Items).Code);
    }

    [Fact]
    public async Task ReplaceLayer_WhenAFeatureFails_KeepsThePreviousLayerWhole()
    {
        var project = await Registry.CreateAsync(Details(), "a", cancellationToken: Ct);
        var store = scope.ServiceProvider.GetRequiredService<ILayerStore>();
        var good = Enumerable.Range(0, 50).Select(i => Parcel(119.9 + (i * 0.001), "0101")).ToList();
        await store.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, "before", good, [], Ct);

        // A parcel without a land class violates NOT NULL half-way through the write.
        var bad = Enumerable.Range(0, 50).Select(i => Parcel(119.9 + (i * 0.001), i == 40 ? null! : "0103")).ToList();
        await Assert.ThrowsAnyAsync<Exception>(() => store.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, "before", bad, [], Ct));

        var db = Db;
        db.ChangeTracker.Clear();
        var layer = await db.Layers.SingleAsync(Ct);
        Assert.Equal(50, layer.FeatureCount);
        var classes = await db.Parcels.Where(p => p.LayerId == layer.Id).Select(p => p.LandClass).Distinct().ToListAsync(Ct);
        Assert.Equal(["0101"], classes);
    }

    [Fact]
    public async Task ReplaceLayer_RoundTripsGeometryAndAttributes()
    {
        var project = await Registry.CreateAsync(Details(), "a", cancellationToken: Ct);
        var store = scope.ServiceProvider.GetRequiredService<ILayerStore>();
        var parcel = new Parcel("0201K", true, false, "3301110010010000000", Square(119.95, 30.05, 0.0007), 1234.5, """{"QSXZ":"30","TBMJ":1234.5}""");

        await store.ReplaceLayerAsync(project.Id, LayerKind.ParcelsAfter, "after", [parcel], [], Ct);

        var stored = await Db.Parcels.AsNoTracking().SingleAsync(Ct);
        Assert.Equal("0201K", stored.LandClass);
        Assert.True(stored.IsPbf);
        Assert.False(stored.IsHighStandard);
        Assert.Equal("3301110010010000000", stored.LocationCode);
        Assert.True(stored.Geometry.EqualsExact(parcel.Geometry));
        Assert.Equal(Fuchun.Spatial.Cgcs2000.Srid, stored.Geometry.SRID);
        Assert.Contains("QSXZ", stored.AttributesJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplaceLayer_StoresEveryFieldOfImportedParcelsAsTheImportGaveIt()
    {
        // Parcels as the import makes them (attributes kept as UTF-8 JSON), and one made from a JSON string: each
        // field read back equal, Chinese text, numbers, absent codes and absent attributes included.
        var project = await Registry.CreateAsync(Details(), "a", cancellationToken: Ct);
        double[] xs = [119.950, 119.951, 119.952, 119.953];
        var factory = Fuchun.Spatial.Cgcs2000.Factory;
        NetTopologySuite.Features.Feature Feature(int i, NetTopologySuite.Features.AttributesTable attributes) => new(
            factory.CreatePolygon([new(xs[i], 30.05), new(xs[i + 1], 30.05), new(xs[i + 1], 30.051), new(xs[i], 30.051), new(xs[i], 30.05)]), attributes);
        // The fields of a file: every feature has them all, some empty.
        static NetTopologySuite.Features.AttributesTable Attributes(string dlbm, string? pbf, int? hsf, string? zldwdm, string? zldwmc, double? tbmj, string? qsxz) => new()
        {
            { "DLBM", dlbm }, { "PBF", pbf }, { "HSF", hsf }, { "ZLDWDM", zldwdm }, { "ZLDWMC", zldwmc }, { "TBMJ", tbmj }, { "QSXZ", qsxz },
        };
        var imported = ParcelImport.Convert(new FeatureLayer("三调.geojson", CoordinateSystems.Cgcs2000,
        [
            Feature(0, Attributes("0101", "是", null, "3301060010010000000", "转塘街道双流村", 1234.56, "30")),
            Feature(1, Attributes("1006", null, 1, null, "\"引号\"与\\斜杠", 0.5, null)),
            Feature(2, Attributes("0201K", null, null, null, null, null, null)),
        ]));
        Assert.True(imported.Accepted, string.Join("; ", imported.Problems));
        Parcel[] parcels = [.. imported.Parcels, new Parcel("0301", false, true, null, Square(119.96, 30.05, 0.001), 100.25, """{"KCMJ":12.5,"名称":"林地"}""")];

        var layer = await LayerStore.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, "before", parcels, [], Ct);

        Db.ChangeTracker.Clear();
        var stored = await Db.Parcels.AsNoTracking().Where(p => p.LayerId == layer.Id).OrderBy(p => p.Id).ToListAsync(Ct);
        Assert.Equal(parcels.Length, stored.Count);
        for (var i = 0; i < parcels.Length; i++)
        {
            var (given, back) = (parcels[i], stored[i]);
            Assert.Equal(
                (given.LandClass, given.IsPbf, given.IsHighStandard, given.LocationCode, given.AreaM2, given.AttributesJson),
                (back.LandClass, back.IsPbf, back.IsHighStandard, back.LocationCode, back.AreaM2, back.AttributesJson));
            Assert.True(back.Geometry.EqualsExact(given.Geometry), $"parcel {i}: {back.Geometry}");
        }

        Assert.Contains("转塘街道双流村", stored[0].AttributesJson, StringComparison.Ordinal);
        Assert.Equal("\"引号\"与\\斜杠", JsonDocument.Parse(stored[1].AttributesJson!).RootElement.GetProperty("ZLDWMC").GetString());
    }

    [Fact]
    public async Task ReadTile_OverAParcelLayer_CarriesItsParcelsAndAttributes()
    {
        var project = await Registry.CreateAsync(Details(), "a", cancellationToken: Ct);
        var store = scope.ServiceProvider.GetRequiredService<ILayerStore>();
        var parcels = Enumerable.Range(0, 20).Select(i => Parcel(119.9 + (i * 0.001), i % 2 == 0 ? "0101" : "0301")).ToList();
        var layer = await store.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, "before", parcels, [], Ct);

        var tile = TileAddress.Containing(119.9005, 30.0005, 16);
        var bytes = await store.ReadTileAsync(layer.Id, tile, Ct);

        Assert.NotEmpty(bytes);
        using var stream = new MemoryStream(bytes);
        var decoded = new NetTopologySuite.IO.VectorTiles.Mapbox.MapboxTileReader().Read(stream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile(tile.X, tile.Y, tile.Z));
        var features = Assert.Single(decoded.Layers, l => l.Name == "parcels").Features;
        Assert.NotEmpty(features);
        Assert.All(features, f => Assert.Matches("^0(101|301)$", f.Attributes["dlbm"]?.ToString()));
        Assert.Contains(features, f => f.Geometry.EnvelopeInternal.Intersects(new NetTopologySuite.Geometries.Envelope(119.9002, 119.9008, 30.0002, 30.0008)));
        Assert.Empty(await store.ReadTileAsync(layer.Id, TileAddress.Containing(121.5, 31.5, 16), Ct));
    }

    [Fact]
    public async Task ReplaceLayer_OfALargeLayer_BuildsOverviewsThatServeTheLowZooms()
    {
        var project = await Registry.CreateAsync(Details(), "a", cancellationToken: Ct);
        // A store that treats 1 000 parcels as large, and a 3 000-parcel mosaic.
        var storeType = scope.ServiceProvider.GetRequiredService<ILayerStore>().GetType();
        var store = (ILayerStore)ActivatorUtilities.CreateInstance(scope.ServiceProvider, storeType, new TileOptions(OverviewMinParcels: 1_000));
        var inverse = MosaicGenerator.Crs.Projection();
        var parcels = new MosaicGenerator(3_000, seed: 5).Before().Select(p =>
        {
            var g = (MultiPolygon)Fuchun.Spatial.Cgcs2000.Factory.CreateMultiPolygon([(Polygon)Fuchun.Spatial.CoordinateMap.Apply(p.Geometry, Fuchun.Spatial.Cgcs2000.Factory, inverse.Inverse)]);
            return new Parcel(p.LandClass, p.IsPbf, p.IsHighStandard, p.LocationCode, g, EllipsoidalArea.OfGeometry(g));
        }).ToList();

        var layer = await store.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, "before", parcels, [], Ct);

        Assert.True(layer.HasOverviews);
        Assert.Equal(LayerOverviews.MinLevel, layer.TilesMinZoom);
        var perLevel = await Db.ParcelOverviews.Where(o => o.LayerId == layer.Id).GroupBy(o => o.Level)
            .Select(g => new { Level = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Level, g => g.Count, Ct);
        Assert.Equal(Enumerable.Range(LayerOverviews.MinLevel, LayerOverviews.MaxLevel - LayerOverviews.MinLevel + 1), perLevel.Keys.Order());
        Assert.InRange(perLevel[LayerOverviews.MaxLevel], 1, parcels.Count / 5);

        // The z12 tile over the layer's middle: cut from the overview, far fewer features than the parcels in it.
        var extent = new Envelope();
        parcels.ForEach(p => extent.ExpandToInclude(p.Geometry.EnvelopeInternal));
        var tile = TileAddress.Containing(extent.Centre.X, extent.Centre.Y, 12);
        var overview = VectorTiles.Parcels(await store.ReadOverviewTileAsync(layer.Id, tile, Ct), tile);
        var detailed = VectorTiles.Parcels(await store.ReadTileAsync(layer.Id, tile, Ct), tile);
        Assert.NotEmpty(overview);
        Assert.All(overview, f => Assert.Equal(1L, Convert.ToInt64(f.Attributes["generalised"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(overview, f => Assert.Contains(f.Attributes["dlbm"]?.ToString(), parcels.Select(p => p.LandClass)));
        Assert.True(overview.Count * 5 < detailed.Count, $"{overview.Count} overview features against {detailed.Count} parcels");
        // A zoom with no overview gives nothing.
        Assert.Empty(await store.ReadOverviewTileAsync(layer.Id, TileAddress.Containing(extent.Centre.X, extent.Centre.Y, 15), Ct));

        // A failed replacement keeps the overviews with their layer; a small layer in its place takes them away.
        var broken = parcels.Select((p, i) => i == 2_500 ? new Parcel(null!, false, false, null, p.Geometry, p.AreaM2) : p).ToList();
        await Assert.ThrowsAnyAsync<Exception>(() => store.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, "before", broken, [], Ct));
        Db.ChangeTracker.Clear();
        Assert.Equal(perLevel.Values.Sum(), await Db.ParcelOverviews.CountAsync(o => o.LayerId == layer.Id, Ct));

        var small = await store.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, "before", parcels.Take(500).ToList(), [], Ct);
        Assert.False(small.HasOverviews);
        Assert.Equal(0, await Db.ParcelOverviews.CountAsync(Ct));
    }

    [Fact]
    public async Task ReplaceParcelLayer_OfAShapefilesRecords_StoresTheParcelsHeldAsShellsAsTheirGeometries()
    {
        var project = await Registry.CreateAsync(Details(), "a", cancellationToken: Ct);
        var folder = Directory.CreateTempSubdirectory("fuchun-shells-").FullName;
        try
        {
            var path = Path.Combine(folder, "before.shp");
            MosaicFiles.Write(path, new MosaicGenerator(400, seed: 11).Before(), MosaicOrder.Sorted, seed: 11);
            var expected = new List<Parcel>();
            await foreach (var batch in ParcelImport.ReadAsync(GeometryFiles.OpenFeatures(path), cancellationToken: Ct))
            {
                expected.AddRange(batch);
            }

            // Most held as their shell alone (the store writes those from the array), the rest as geometries.
            Assert.InRange(expected.Count(p => p.Shell is not null), expected.Count / 2, expected.Count - 1);

            var source = GeometryFiles.OpenFeatures(path);
            Assert.NotNull(source.Records);
            await using var reading = ParcelImport.Start(source, cancellationToken: Ct);
            var layer = await LayerStore.ReplaceParcelLayerAsync(project.Id, LayerKind.ParcelsBefore, "before", reading, reading.ExpectedCount, Ct);

            Assert.Equal(expected.Count, layer.FeatureCount);
            var stored = await Db.Parcels.AsNoTracking().Where(p => p.LayerId == layer.Id).OrderBy(p => p.Id).ToListAsync(Ct);
            Assert.Equal(expected.Count, stored.Count);
            for (var i = 0; i < stored.Count; i++)
            {
                var (e, s) = (expected[i], stored[i]);
                Assert.Equal((e.LandClass, e.AreaM2, e.AttributesJson), (s.LandClass, s.AreaM2, s.AttributesJson));
                Assert.Equal(Fuchun.Spatial.Cgcs2000.Srid, s.Geometry.SRID);
                Assert.True(s.Geometry.EqualsExact(e.Geometry), $"parcel {i + 1}: stored {s.Geometry}, imported {e.Geometry}");
            }

            // Every parcel is found by its box through the spatial index (the embedded store's R-tree is filled row by row).
            var tile = TileAddress.Containing(stored[0].Geometry.Centroid.X, stored[0].Geometry.Centroid.Y, 16);
            var inTile = VectorTiles.Parcels(await LayerStore.ReadTileAsync(layer.Id, tile, Ct), tile);
            Assert.NotEmpty(inTile);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Geometries for holding a store's stored bytes to the general writers': one box, one with two holes, two parts
    /// (the second west and north of the first), all with flat rings; and a box held as coordinate objects (as a
    /// repair may leave it), which the stores hand to NetTopologySuite's writers.
    /// </summary>
    protected static MultiPolygon[] WriterShapes()
    {
        var packed = Fuchun.Spatial.Cgcs2000.PackedFactory;
        Polygon Box(GeometryFactory f, double x, double y, double size, params LinearRing[] holes) => f.CreatePolygon(
            f.CreateLinearRing([new(x, y), new(x + size, y), new(x + size, y + size), new(x, y + size), new(x, y)]), holes);
        LinearRing Hole(double x, double y) => packed.CreateLinearRing([new(x, y), new(x, y + 0.0001), new(x + 0.0001, y + 0.0001), new(x + 0.0001, y), new(x, y)]);
        return
        [
            packed.CreateMultiPolygon([Box(packed, 120.0, 30.0, 0.001)]),
            packed.CreateMultiPolygon([Box(packed, 120.01, 30.0, 0.001, Hole(120.0102, 30.0002), Hole(120.0105, 30.0005))]),
            packed.CreateMultiPolygon([Box(packed, 120.02, 30.0, 0.001), Box(packed, 120.0185, 30.0012, 0.0005)]),
            Fuchun.Spatial.Cgcs2000.Factory.CreateMultiPolygon([Box(Fuchun.Spatial.Cgcs2000.Factory, 120.03, 30.0, 0.001)]),
        ];
    }

    internal static Parcel Parcel(double lon, string landClass)
    {
        var g = Square(lon, 30.0, 0.0009);
        return new Parcel(landClass, false, false, null, g, EllipsoidalArea.OfGeometry(g));
    }
}

public sealed class SqliteRegistryTests : RegistryContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    [Fact]
    public async Task ReplaceLayer_Sqlite_IndexesEachParcelAsTheGeoPackageTriggerDoes()
    {
        var project = await Registry.CreateAsync(Details(), "a", cancellationToken: Ct);
        await Db.Database.OpenConnectionAsync(Ct);
        var connection = Db.Database.GetDbConnection();
        async Task<List<string>> Rows(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync(Ct);
            var rows = new List<string>();
            while (await reader.ReadAsync(Ct))
            {
                rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
            }

            return rows;
        }

        const string triggerSql = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'rtree_parcels_geom_insert'";
        var trigger = Assert.Single(await Rows(triggerSql));
        var layer = await LayerStore.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, "before", [.. Enumerable.Range(0, 20).Select(i => Parcel(119.9 + (i * 0.0013), "0101"))], [], Ct);

        // The store indexes the rows itself with the trigger set aside; the trigger is back as it was.
        Assert.Equal([trigger], await Rows(triggerSql));
        // Copies of the rows inserted by plain SQL go through the trigger: their R-tree entries are the same.
        await Rows($"INSERT INTO parcels (layer_id, dlbm, pbf, hsf, zldwdm, area_m2, attributes_json, geom) SELECT layer_id, dlbm, pbf, hsf, zldwdm, area_m2, attributes_json, geom FROM parcels WHERE layer_id = {layer.Id} ORDER BY id");
        var entries = await Rows($"SELECT r.minx, r.maxx, r.miny, r.maxy FROM parcels p JOIN rtree_parcels_geom r ON r.id = p.id WHERE p.layer_id = {layer.Id} ORDER BY p.id");
        Assert.Equal(40, entries.Count);
        Assert.Equal(entries[..20], entries[20..]);
        await Db.Database.CloseConnectionAsync();
    }

    [Fact]
    public async Task ReplaceLayer_Sqlite_StoresEachRowAsTheGeneralWritersWould()
    {
        var project = await Registry.CreateAsync(Details(), "a", cancellationToken: Ct);
        var shapes = WriterShapes();
        Parcel[] parcels =
        [
            new("0101", true, false, "330106001001", shapes[0], 1.5, """{"TBMJ":12.5,"QSDWMC":"杭州市西湖区某村"}"""),
            new("0102", false, true, null, shapes[1], 2.5),
            new("1006", false, false, "", shapes[2], 3.5, "{}"),
            new("0201", false, false, "330106001002", shapes[3], 4.5),
        ];
        Assert.Equal([true, true, true, false], parcels.Select(p => PolygonEwkb.CanWrite(p.Geometry)));
        var layer = await LayerStore.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, "before", parcels, [], Ct);

        await Db.Database.OpenConnectionAsync(Ct);
        await using var command = Db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"""
            SELECT p.dlbm, p.pbf, p.hsf, p.zldwdm, p.area_m2, p.attributes_json, p.geom, r.minx, r.maxx, r.miny, r.maxy
            FROM parcels p JOIN rtree_parcels_geom r ON r.id = p.id WHERE p.layer_id = {layer.Id} ORDER BY p.id
            """;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        foreach (var p in parcels)
        {
            Assert.True(await reader.ReadAsync(Ct));
            Assert.Equal(p.LandClass, reader.GetString(0));
            Assert.Equal((p.IsPbf, p.IsHighStandard), (reader.GetInt64(1) == 1, reader.GetInt64(2) == 1));
            Assert.Equal(p.LocationCode, reader.IsDBNull(3) ? null : reader.GetString(3));
            Assert.Equal(p.AreaM2, reader.GetDouble(4));
            Assert.Equal(p.AttributesJson, reader.IsDBNull(5) ? null : reader.GetString(5));
            Assert.Equal(Convert.ToHexString(GeoPackageBlob.Write(p.Geometry)), Convert.ToHexString(reader.GetFieldValue<byte[]>(6)));
            // SQLite's R-tree keeps 32-bit floats, rounded outward (a float's step is 7.6e-6 at 120°).
            var box = p.Geometry.EnvelopeInternal;
            Assert.InRange(reader.GetDouble(7), box.MinX - 3e-5, box.MinX);
            Assert.InRange(reader.GetDouble(8), box.MaxX, box.MaxX + 3e-5);
            Assert.InRange(reader.GetDouble(9), box.MinY - 3e-5, box.MinY);
            Assert.InRange(reader.GetDouble(10), box.MaxY, box.MaxY + 3e-5);
        }

        Assert.False(await reader.ReadAsync(Ct));
        await reader.DisposeAsync();
        await Db.Database.CloseConnectionAsync();
    }
}

public sealed class PostgresRegistryTests : RegistryContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    /// <summary>The first column of every row <paramref name="sql"/> gives, as text.</summary>
    private static async Task<List<string>> Column(Npgsql.NpgsqlConnection connection, string sql)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            values.Add(reader.GetValue(0).ToString()!);
        }

        return values;
    }

    [Fact]
    public async Task ReplaceLayer_Postgres_WritesEachLayerIntoAnIndexedPartitionOfItsOwn()
    {
        var project = await Registry.CreateAsync(Details(), "a", cancellationToken: Ct);
        var store = LayerStore;
        List<Parcel> Layer(string landClass) => [.. Enumerable.Range(0, 20).Select(i => Parcel(119.9 + (i * 0.001), landClass))];
        var first = await store.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, "before", Layer("0101"), [], Ct);
        await using var connection = new Npgsql.NpgsqlConnection(Database.Settings.ConnectionString);
        await connection.OpenAsync(Ct);
        Task<List<string>> Strings(string sql) => Column(connection, sql);
        const string Retired = "SELECT relname::text FROM pg_class WHERE relname LIKE 'retired\\_%' ORDER BY 1";

        var broken = Layer("0103");
        broken[15] = new Parcel(null!, false, false, null, broken[15].Geometry, broken[15].AreaM2);
        await Assert.ThrowsAnyAsync<Exception>(() => store.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, "before", broken, [], Ct));
        // The failed replacement's retirement of the layer went with it: the layer is still the parcels' partition.
        Assert.Equal([$"parcels_{first.Id}"], await Strings("SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'parcels'::regclass"));
        Assert.Empty(await Strings(Retired));
        var second = await store.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, "before", Layer("0102"), [], Ct);

        // The failed layer's partition was never kept, and the replaced layer's is retired: nobody's partition, with
        // no foreign key to hold its layer's row, its rows out of every query of parcels until the next write drops it.
        Assert.Equal([$"parcels_{second.Id}"], await Strings("SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'parcels'::regclass"));
        Assert.Equal([$"parcels_{second.Id}"], await Strings("SELECT relname::text FROM pg_class WHERE relname LIKE 'parcels\\_%' AND relkind = 'r'"));
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal([$"retired_parcels_{first.Id}"], await Strings(Retired));
        Assert.Equal(["false"], await Strings($"SELECT relispartition::text FROM pg_class WHERE relname = 'retired_parcels_{first.Id}'"));
        Assert.Empty(await Strings($"SELECT conname::text FROM pg_constraint WHERE conrelid = 'retired_parcels_{first.Id}'::regclass AND contype = 'f'"));
        Assert.Equal(["20"], await Strings($"SELECT count(*)::text FROM retired_parcels_{first.Id}"));
        Assert.Empty(await Strings($"SELECT id::text FROM layers WHERE id = {first.Id}"));
        // One chunk: its table is the partition, with the key and GiST index built for it before the attach.
        var indexes = await Strings($"SELECT indexdef FROM pg_indexes WHERE tablename = 'parcels_{second.Id}' ORDER BY indexdef");
        Assert.Equal(2, indexes.Count);
        Assert.Contains(indexes, d => d.Contains("USING gist (geom)", StringComparison.Ordinal));
        Assert.Contains(indexes, d => d.Contains("UNIQUE INDEX", StringComparison.Ordinal) && d.Contains("(id, layer_id)", StringComparison.Ordinal));
        Assert.Equal(["{parallel_workers=0}"], await Strings($"SELECT reloptions::text FROM pg_class WHERE relname = 'parcels_{second.Id}'"));
        // The CHECK that spared the attach its scan is gone; the partition keeps only what the parent gives it.
        Assert.Equal(["fk_parcels_layers_layer_id"], await Strings($"SELECT conname::text FROM pg_constraint WHERE conrelid = 'parcels_{second.Id}'::regclass AND contype <> 'p'"));
        Assert.Equal(["0102"], await Strings("SELECT DISTINCT dlbm::text FROM parcels"));
        Assert.Equal(20, await Db.Parcels.CountAsync(p => p.LayerId == second.Id, Ct));

        // The next parcel layer written, of any project, drops what was retired before it began.
        var other = await Registry.CreateAsync(Details("330111-2025-902"), "a", cancellationToken: Ct);
        await store.ReplaceLayerAsync(other.Id, LayerKind.ParcelsBefore, "before", Layer("0103"), [], Ct);
        var third = await store.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, "before", Layer("0101"), [], Ct);
        Assert.Equal([$"retired_parcels_{second.Id}"], await Strings(Retired));
        Assert.Equal(["0101", "0103"], await Strings("SELECT DISTINCT dlbm::text FROM parcels ORDER BY 1"));
        Assert.Equal(20, await Db.Parcels.CountAsync(p => p.LayerId == third.Id, Ct));
    }

    [Fact]
    public async Task ReplaceLayer_Postgres_LargeLayer_IsWrittenInIndexedChunks_AndAFailedOneLeavesNoTable()
    {
        var project = await Registry.CreateAsync(Details(), "a", cancellationToken: Ct);
        var store = new PostgresLayerStore(Db, TimeProvider.System, new TileOptions()) { ChunkRows = 12 };
        List<Parcel> Layer(string landClass) => [.. Enumerable.Range(0, 50).Select(i => Parcel(119.9 + (i * 0.001), landClass))];
        await using var connection = new Npgsql.NpgsqlConnection(Database.Settings.ConnectionString);
        await connection.OpenAsync(Ct);
        Task<List<string>> Strings(string sql) => Column(connection, sql);

        // Tables a dead import left behind (nobody's partitions, their layer held by no transaction) are swept
        // away by the next large import; one whose layer a live transaction holds is not.
        await Strings("CREATE EXTENSION IF NOT EXISTS pg_visibility");
        await Strings("CREATE TABLE parcels_999998_1 (LIKE parcels INCLUDING DEFAULTS)");
        await Strings("CREATE TABLE parcels_999999_1 (LIKE parcels INCLUDING DEFAULTS)");
        await using var holder = new Npgsql.NpgsqlConnection(Database.Settings.ConnectionString);
        await holder.OpenAsync(Ct);
        await using var held = await holder.BeginTransactionAsync(Ct);
        await using (var claim = new Npgsql.NpgsqlCommand("SELECT pg_advisory_xact_lock(1178816080, 999999)", holder, held))
        {
            await claim.ExecuteNonQueryAsync(Ct);
        }

        var given = Layer("0101");
        var layer = await store.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, "before", given, [], Ct);

        Assert.Equal(50, layer.FeatureCount);
        // Full chunks, then the 14 left as about three quarters and a quarter (ParcelStaging.RowsOfChunk).
        int[] counts = [12, 12, 12, 11, 3];
        Assert.Equal(
            [.. Enumerable.Range(0, 5).Select(n => $"parcels_{layer.Id}_{n}")],
            await Strings($"SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'parcels_{layer.Id}'::regclass ORDER BY 1"));
        Assert.Equal(["parcels_999999_1"], await Strings("SELECT relname::text FROM pg_class WHERE relname ~ '^parcels_[0-9]+_[0-9]+$' AND NOT relispartition"));
        for (var n = 0; n < 5; n++)
        {
            var chunk = $"parcels_{layer.Id}_{n}";
            var indexes = await Strings($"SELECT indexdef FROM pg_indexes WHERE tablename = '{chunk}' ORDER BY indexdef");
            Assert.Contains(indexes, d => d.Contains("USING gist (geom)", StringComparison.Ordinal));
            Assert.Contains(indexes, d => d.Contains("UNIQUE INDEX", StringComparison.Ordinal) && d.Contains("(id, layer_id)", StringComparison.Ordinal));
            Assert.Equal(["fk_parcels_layers_layer_id"], await Strings($"SELECT conname::text FROM pg_constraint WHERE conrelid = '{chunk}'::regclass AND contype <> 'p'"));
            Assert.Equal(["{parallel_workers=0}"], await Strings($"SELECT reloptions::text FROM pg_class WHERE relname = '{chunk}'"));
            Assert.Equal([counts[n].ToString(System.Globalization.CultureInfo.InvariantCulture)], await Strings($"SELECT count(*) FROM {chunk}"));

            // Written frozen (COPY FREEZE into a table made in the same transaction): nothing has to pass over the
            // rows again to mark them committed or frozen.
            Assert.Equal(["true"], await Strings($"SELECT bool_and(all_frozen)::text FROM pg_visibility_map('{chunk}')"));
        }

        // Each chunk took a block of ids before its rows went in, as many as it was to take (its bound, checked as they
        // did, is the block): the blocks follow one another, the last one's unused ids are skipped, and the sequence
        // goes on past them.
        var blocks = (await Strings($"SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid WHERE i.inhparent = 'parcels_{layer.Id}'::regclass ORDER BY c.relname"))
            .Select(b => System.Text.RegularExpressions.Regex.Matches(b, "[0-9]+").Select(m => long.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal([12, 12, 12, 11, 12], blocks.Select(b => b[1] - b[0]));
        Assert.All(blocks.Zip(blocks.Skip(1)), pair => Assert.True(pair.Second[0] >= pair.First[1]));
        Assert.True(long.Parse((await Strings("SELECT nextval('parcel_ids')"))[0], System.Globalization.CultureInfo.InvariantCulture) >= blocks[^1][1]);

        Db.ChangeTracker.Clear();
        var stored = await Db.Parcels.AsNoTracking().Where(p => p.LayerId == layer.Id).OrderBy(p => p.Id).ToListAsync(Ct);
        Assert.Equal(given.Select(p => p.Geometry.Centroid.X), stored.Select(p => p.Geometry.Centroid.X));
        Assert.Equal(blocks.Zip(counts).SelectMany(b => Enumerable.Range(0, b.Second).Select(i => b.First[0] + i)), stored.Select(p => p.Id));
        var tile = await store.ReadTileAsync(layer.Id, TileAddress.Containing(119.92, 30.0004, 14), Ct);
        Assert.NotEmpty(tile);

        // A NOT NULL violation in the fourth chunk: the layer is not taken, and no chunk of it is left.
        var broken = Layer("0103");
        broken[40] = new Parcel(null!, false, false, null, broken[40].Geometry, broken[40].AreaM2);
        await Assert.ThrowsAnyAsync<Exception>(() => store.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, "before", broken, [], Ct));
        Assert.Equal(["parcels_999999_1"], await Strings("SELECT relname::text FROM pg_class WHERE relname ~ '^parcels_[0-9]+_[0-9]+$' AND NOT relispartition"));
        Assert.Equal([$"parcels_{layer.Id}"], await Strings("SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'parcels'::regclass"));
        Assert.Equal(["0101"], await Strings("SELECT DISTINCT dlbm::text FROM parcels"));
        await held.RollbackAsync(Ct);

        // The ids are taken under the sequence's lock: while another transaction holds it (as one taking ids does),
        // no block is taken, so no id handed out meanwhile can fall inside one.
        await using var locker = new Npgsql.NpgsqlConnection(Database.Settings.ConnectionString);
        await locker.OpenAsync(Ct);
        await using var locking = await locker.BeginTransactionAsync(Ct);
        await using (var alter = new Npgsql.NpgsqlCommand("ALTER SEQUENCE parcel_ids INCREMENT BY 1", locker, locking))
        {
            await alter.ExecuteNonQueryAsync(Ct);
        }

        var waiting = store.ReplaceLayerAsync(project.Id, LayerKind.ParcelsAsBuilt, "as built", Layer("0102"), [], Ct);
        await Task.Delay(500, Ct);
        Assert.False(waiting.IsCompleted);
        await locking.CommitAsync(Ct);
        Assert.Equal(50, (await waiting).FeatureCount);
    }

    [Fact]
    public async Task ReplaceLayer_Postgres_ChunksSizedPastAQuarterOfTheSharedBuffers_AreFullButTheLast()
    {
        var project = await Registry.CreateAsync(Details(), "a", cancellationToken: Ct);
        // A quarter of the shared buffers as small as a couple of the usual chunks' rows: the chunks grow to pass it.
        var store = new PostgresLayerStore(Db, TimeProvider.System, new TileOptions()) { ChunkRows = 12, RingBytes = 6_000 };
        List<Parcel> given = [.. Enumerable.Range(0, 50).Select(i => Parcel(119.9 + (i * 0.001), "0101"))];
        var layer = await store.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, "before", given, [], Ct);
        await using var connection = new Npgsql.NpgsqlConnection(Database.Settings.ConnectionString);
        await connection.OpenAsync(Ct);

        var chunks = await Column(connection, $"SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'parcels_{layer.Id}'::regclass ORDER BY 1");
        var counts = new List<int>();
        foreach (var chunk in chunks)
        {
            counts.Add(int.Parse((await Column(connection, $"SELECT count(*) FROM {chunk}"))[0], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(["pkey", "geom"], (await Column(connection, $"SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = '{chunk}'::regclass ORDER BY indisprimary DESC"))
                .Select(name => name[(name.LastIndexOf('_') + 1)..]));
        }

        // Larger than the usual 12, every one as large as the first but the last, which takes what is left.
        Assert.InRange(counts[0], 13, 48);
        Assert.All(counts.SkipLast(1), c => Assert.Equal(counts[0], c));
        Assert.InRange(counts[^1], 1, counts[0]);
        Assert.Equal(50, counts.Sum());
        Db.ChangeTracker.Clear();
        var stored = await Db.Parcels.AsNoTracking().Where(p => p.LayerId == layer.Id).OrderBy(p => p.Id).ToListAsync(Ct);
        Assert.Equal(given.Select(p => p.Geometry.Centroid.X), stored.Select(p => p.Geometry.Centroid.X));
        Assert.Equal(50, layer.FeatureCount);
    }

    [Fact]
    public async Task ReplaceLayer_Postgres_StoresEachGeometryAsNpgsqlsPluginWould()
    {
        var project = await Registry.CreateAsync(Details(), "a", cancellationToken: Ct);
        var geometries = WriterShapes();
        Assert.Equal([true, true, true, false], geometries.Select(PolygonEwkb.CanWrite));
        var layer = await LayerStore.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, "before",
            [.. geometries.Select(g => new Parcel("0101", false, false, null, g, EllipsoidalArea.OfGeometry(g)))], [], Ct);

        var builder = new Npgsql.NpgsqlDataSourceBuilder(Database.Settings.ConnectionString);
        Npgsql.NpgsqlNetTopologySuiteExtensions.UseNetTopologySuite(builder);
        await using var source = builder.Build();
        await using var connection = await source.OpenConnectionAsync(Ct);
        for (var i = 0; i < geometries.Length; i++)
        {
            await using var command = new Npgsql.NpgsqlCommand("""
                SELECT ST_AsEWKB(p.geom) = ST_AsEWKB(@g), ST_AsEWKB(p.geom)
                FROM parcels p WHERE p.layer_id = @layer ORDER BY p.id OFFSET @i LIMIT 1
                """, connection);
            command.Parameters.AddWithValue("g", NpgsqlTypes.NpgsqlDbType.Geometry, geometries[i]);
            command.Parameters.AddWithValue("layer", layer.Id);
            command.Parameters.AddWithValue("i", i);
            await using var reader = await command.ExecuteReaderAsync(Ct);
            Assert.True(await reader.ReadAsync(Ct));
            Assert.True(reader.GetBoolean(0), $"parcel {i} stored as {Convert.ToHexString(reader.GetFieldValue<byte[]>(1))}");
        }
    }

    [Fact]
    public async Task MigrateToPartitions_MovesEveryLayersParcelsAndBack()
    {
        var project = await Registry.CreateAsync(Details(), "a", cancellationToken: Ct);
        var before = await LayerStore.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, "before", [Parcel(119.9, "0101"), Parcel(119.91, "0102")], [], Ct);
        var after = await LayerStore.ReplaceLayerAsync(project.Id, LayerKind.ParcelsAfter, "after", [Parcel(119.9, "0103")], [], Ct);
        var migrator = Db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>();
        Db.Database.SetCommandTimeout(TimeSpan.Zero);

        // Back to one table (the migration's Down), then forward again (its Up) with rows in place.
        await migrator.MigrateAsync("20261130091249_ParcelOverviews", Ct);
        await using (var connection = new Npgsql.NpgsqlConnection(Database.Settings.ConnectionString))
        {
            await connection.OpenAsync(Ct);
            await using var partitioned = new Npgsql.NpgsqlCommand("SELECT relkind::text FROM pg_class WHERE relname = 'parcels'", connection);
            Assert.Equal("r", await partitioned.ExecuteScalarAsync(Ct));
        }

        Db.ChangeTracker.Clear();
        Assert.Equal(3, await Db.Parcels.CountAsync(Ct));
        await migrator.MigrateAsync(cancellationToken: Ct);

        Db.ChangeTracker.Clear();
        var rows = await Db.Parcels.OrderBy(p => p.Id).Select(p => new { p.Id, p.LayerId, p.LandClass }).ToListAsync(Ct);
        Assert.Equal([(before.Id, "0101"), (before.Id, "0102"), (after.Id, "0103")], rows.Select(r => (r.LayerId, r.LandClass)));
        // New parcels take ids after the moved ones.
        var next = await LayerStore.ReplaceLayerAsync(project.Id, LayerKind.ParcelsAsBuilt, "built", [Parcel(119.9, "0101")], [], Ct);
        var nextId = await Db.Parcels.Where(p => p.LayerId == next.Id).Select(p => p.Id).SingleAsync(Ct);
        Assert.True(nextId > rows.Max(r => r.Id), $"{nextId} after {rows.Max(r => r.Id)}");
    }
}
