using System.Text.Json.Nodes;
using Fuchun.Domain.Demo;
using Fuchun.Domain.Governance;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Packages;
using Fuchun.Domain.Policy;
using Fuchun.Domain.Projects;
using Fuchun.Storage.Analysis;
using Fuchun.Storage.Packages;
using Fuchun.Storage.Projects;
using Fuchun.Storage.Seeding;
using Fuchun.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Storage.Tests;

/// <summary>
/// Project packages in and out of the registry, the same on both backends: a package, the project imported from it
/// and the packages exported from that project (both forms) check the same; a package the registry refuses leaves
/// the database as it was.
/// </summary>
public abstract class PackageContract : IAsyncLifetime
{
    private const string Code = "330182-2023-010";
    private static readonly Lazy<DemoCity> City = new(() => DemoCatalog.Build(DemoCatalog.DefaultSeed));
    private TestDatabase? database;
    private AsyncServiceScope scope;
    private DirectoryInfo? folder;

    protected abstract DatabaseProvider Provider { get; }

    private FuchunDbContext Db => scope.ServiceProvider.GetRequiredService<FuchunDbContext>();

    private PackageImporter Importer => scope.ServiceProvider.GetRequiredService<PackageImporter>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(Provider);
        scope = database.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(withProjects: false, cancellationToken: Ct);
        folder = Directory.CreateTempSubdirectory("fuchun-package-");
    }

    public async ValueTask DisposeAsync()
    {
        await scope.DisposeAsync();
        if (database is not null)
        {
            await database.DisposeAsync();
        }

        folder?.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The demo pilot as its district would hand it in, with facts stated beyond the registry's.</summary>
    private static ProjectPackage Package()
    {
        var package = DemoPackages.ToPackage(City.Value.Projects.Single(p => p.Details.Code == Code), City.Value.Townships);
        package.Project["provincial_approval_for_pbf_adjustment"] = false;
        package.Project["enterprise_relocations"] = new JsonArray(new JsonObject { ["name"] = "洋溪某铸造厂", ["demolished_area_m2"] = 12000.0, ["replacement_area_m2"] = 9000.0 });
        package.Project["compensations"] = new JsonArray(new JsonObject { ["class"] = "forest", ["area_m2"] = 5000.0 });
        package.Project["reviewer_note"] = "unknown keys are kept";
        return package;
    }

    private static string CheckJson(ProjectPackage package) =>
        PolicyJson.Write(package.Id, PolicyEdition.Default, PolicyChecker.Check(package.ToCheckInput(), PolicyEdition.Default)).ToJsonString();

    private async Task<string> StoredCheckJsonAsync(LayerKind afterKind = LayerKind.ParcelsAfter)
    {
        var (results, missing) = await new ProjectAnalyzer(Db).CheckAsync(Code, PolicyEdition.Default, afterKind, Ct);
        Assert.Null(missing);
        // A stored parcel is named by its id in the store, a package's by its feature number: the same parcel when
        // its number is its place in the layer.
        var id = await Db.Projects.Where(p => p.Code == Code).Select(p => p.Id).SingleAsync(Ct);
        var numbers = new Dictionary<string, string>();
        foreach (var (kind, name) in new[] { (LayerKind.ParcelsBefore, "parcels_before"), (afterKind, "parcels_after") })
        {
            var layer = await Db.Layers.Where(l => l.ProjectId == id && l.Kind == kind).Select(l => l.Id).SingleAsync(Ct);
            var ids = await Db.Parcels.Where(p => p.LayerId == layer).OrderBy(p => p.Id).Select(p => p.Id).ToListAsync(Ct);
            for (var i = 0; i < ids.Count; i++)
            {
                numbers[$"{name}#{ids[i]}"] = $"{name}#{i + 1}";
            }
        }

        var renamed = results!.Select(r => r with { Offenders = [.. r.Offenders.Select(o => numbers.GetValueOrDefault(o, o))] }).ToList();
        return PolicyJson.Write(Code, PolicyEdition.Default, renamed).ToJsonString();
    }

    [Fact]
    public async Task Import_ThenExportBothForms_ChecksTheSameAsThePackage()
    {
        var path = Path.Combine(folder!.FullName, "in.gpkg");
        PackageWriter.Write(Package(), path);
        var read = PackageReader.Read(path);
        var expected = CheckJson(read);
        // Stated facts are read: the relocation is judged, not "insufficient data".
        Assert.Contains("\"id\":\"R10\",\"verdict\":\"pass\"", expected, StringComparison.Ordinal);

        var project = await Importer.ImportAsync(read, "test", cancellationToken: Ct);
        Assert.Equal(ProjectStage.Reserve, project.Stage);
        Assert.True(project.IsPilot);
        Assert.Equal(expected, await StoredCheckJsonAsync());

        var exporter = scope.ServiceProvider.GetRequiredService<PackageExporter>();
        foreach (var target in new[] { Path.Combine(folder.FullName, "out.gpkg"), Path.Combine(folder.FullName, "out") })
        {
            await exporter.ExportAsync(Code, target, cancellationToken: Ct);
            var again = PackageReader.Read(target);
            Assert.Equal(expected, CheckJson(again));
            Assert.Equal("unknown keys are kept", again.Project["reviewer_note"]!.GetValue<string>());
            Assert.Equal(read.Before.Count, again.Before.Count);
            Assert.Equal(read.After.Count, again.After.Count);
            Assert.Equal(read.Townships.Select(t => t.Code), again.Townships.Select(t => t.Code));
        }

        var history = await scope.ServiceProvider.GetRequiredService<ProjectRegistry>().HistoryAsync(Code, Ct);
        Assert.Contains(history, c => c.Kind == ProjectChangeKind.PackageImported && c.Actor == "test");
    }

    [Fact]
    public async Task Import_WhatTheRegistryRefuses_LeavesTheDatabaseAsItWas()
    {
        await Importer.ImportAsync(PackageReader.Read(Write(Package(), "first")), "test", cancellationToken: Ct);
        var before = await SnapshotAsync();

        // The same project again, now naming a district the city does not have and without its industrial parks.
        var changed = Package();
        changed.Project["district"] = "330999";
        var refs = changed.References.Where(r => r.Key != LayerKind.IndustrialParks).ToDictionary(r => r.Key, r => r.Value);
        var bad = PackageReader.Read(Write(changed with { References = refs }, "bad"));
        var error = await Assert.ThrowsAsync<DomainValidationException>(() => Importer.ImportAsync(bad, "test", cancellationToken: Ct));
        Assert.Contains(error.Errors, e => e.Field == "districtCode");
        Db.ChangeTracker.Clear();
        Assert.Equal(before, await SnapshotAsync());

        // A new project whose zone lies outside its project area: nothing of it is stored.
        var outside = Package();
        outside.Project["id"] = "330182-2023-099";
        var zones = outside.Zones.Select(z => z with { Geometry = RegistryContract.Square(120.5, 30.5, 0.01) }).ToList();
        var refused = PackageReader.Read(Write(outside with { Zones = zones }, "outside"));
        await Assert.ThrowsAsync<DomainValidationException>(() => Importer.ImportAsync(refused, "test", cancellationToken: Ct));
        Db.ChangeTracker.Clear();
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Reimport_MakesTheProjectWhatThePackageSays()
    {
        await Importer.ImportAsync(PackageReader.Read(Write(Package(), "first")), "test", cancellationToken: Ct);
        var changed = Package();
        changed.Project.Remove("compensations");
        var refs = changed.References.Where(r => r.Key != LayerKind.IndustrialParks).ToDictionary(r => r.Key, r => r.Value);
        var second = PackageReader.Read(Write(changed with { References = refs }, "second"));
        await Importer.ImportAsync(second, "test", cancellationToken: Ct);

        var id = await Db.Projects.Where(p => p.Code == Code).Select(p => p.Id).SingleAsync(Ct);
        Assert.False(await Db.Layers.AnyAsync(l => l.ProjectId == id && l.Kind == LayerKind.IndustrialParks, Ct));
        Assert.Equal(1, await Db.Projects.CountAsync(Ct));
        Assert.Equal(CheckJson(second), await StoredCheckJsonAsync());
        Assert.Contains("\"id\":\"R03\",\"verdict\":\"insufficient_data\"", await StoredCheckJsonAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_AsBuilt_StoresTheAfterLayerAsTheAcceptanceLayer()
    {
        var read = PackageReader.Read(Write(Package(), "as-built"));
        await Importer.ImportAsync(read, "test", LayerKind.ParcelsAsBuilt, Ct);
        var id = await Db.Projects.Where(p => p.Code == Code).Select(p => p.Id).SingleAsync(Ct);
        var kinds = await Db.Layers.Where(l => l.ProjectId == id).Select(l => l.Kind).ToListAsync(Ct);
        Assert.Equal([LayerKind.ParcelsBefore, LayerKind.ParcelsAsBuilt], kinds.Where(k => k.HoldsParcels()).Order());
        Assert.Equal(CheckJson(read), await StoredCheckJsonAsync(LayerKind.ParcelsAsBuilt));
    }

    /// <summary>The demo pilot made compliant: every PBF parcel after is high-standard, and no park layer to judge R03 by.</summary>
    private static ProjectPackage CompliantPackage()
    {
        var package = Package();
        // Water and forest lost to the consolidation are made good elsewhere (R12).
        package.Project["compensations"] = new JsonArray(
            new JsonObject { ["class"] = "water", ["area_m2"] = 1e6 }, new JsonObject { ["class"] = "forest", ["area_m2"] = 1e6 });
        var after = package.After.Select(p => new Parcel(p.LandClass, p.IsPbf, p.IsPbf || p.IsHighStandard, p.LocationCode, p.Geometry, p.AreaM2, p.AttributesJson)).ToList();
        var refs = package.References.Where(r => r.Key != LayerKind.IndustrialParks).ToDictionary(r => r.Key, r => r.Value);
        return package with { After = after, References = refs };
    }

    private async Task<List<ProjectChange>> GatesAsync() =>
        [.. (await scope.ServiceProvider.GetRequiredService<ProjectRegistry>().HistoryAsync(Code, Ct)).Where(c => c.Kind is ProjectChangeKind.GateChecked or ProjectChangeKind.GateWaived)];

    private async Task MoveToAsync(ProjectStage stage)
    {
        var registry = scope.ServiceProvider.GetRequiredService<ProjectRegistry>();
        if ((await registry.GetAsync(Code, Ct)).Stage < ProjectStage.Approval && stage >= ProjectStage.Approval)
        {
            await PlanFixtures.ListForApprovalAsync(database!.Services, "330182", Code);
        }

        if (!await Db.ProjectDocuments.AnyAsync(Ct))
        {
            await DocumentFixtures.FileAsync(database!.Services, Code, "approval_reply", "plan_review_opinion", "district_acceptance_report", "city_acceptance_opinion");
        }

        while ((await registry.GetAsync(Code, Ct)).Stage < stage)
        {
            await registry.MoveStageAsync(Code, (await registry.GetAsync(Code, Ct)).Stage + 1, null, "test", Ct);
        }
    }

    [Fact]
    public async Task PlanReviewGate_WithAFailingRule_StopsTheMoveUnlessTheCityWaivesIt()
    {
        await Importer.ImportAsync(PackageReader.Read(Write(Package(), "pilot")), "test", cancellationToken: Ct);
        await MoveToAsync(ProjectStage.PlanReview);
        Assert.Empty(await GatesAsync());
        var registry = scope.ServiceProvider.GetRequiredService<ProjectRegistry>();
        var district = new Actor("区县经办人甲", new HashSet<Role> { Role.DistrictOfficer }, "330182");
        var city = new Actor("市局审查人乙", new HashSet<Role> { Role.CityBureau });

        var blocked = await Assert.ThrowsAsync<DomainValidationException>(() => registry.MoveStageAsync(Code, ProjectStage.Implementation, null, city, null, Ct));
        Assert.Contains("R01", Assert.Single(blocked.Errors, e => e.Field == "stage").Message, StringComparison.Ordinal);
        // Plan review is the city's to decide: the project's own district can neither pass it nor waive its gate.
        var notAllowed = await Assert.ThrowsAsync<AccessDeniedException>(() => registry.MoveStageAsync(Code, ProjectStage.Implementation, null, district, "区县认为可以推进", Ct));
        Assert.Contains("市局", notAllowed.Message, StringComparison.Ordinal);
        Db.ChangeTracker.Clear();
        Assert.Equal(ProjectStage.PlanReview, (await registry.GetAsync(Code, Ct)).Stage);

        await registry.MoveStageAsync(Code, ProjectStage.Implementation, null, city, "高标准农田建设已立项，竣工前补齐", Ct);
        Db.ChangeTracker.Clear();
        Assert.Equal(ProjectStage.Implementation, (await registry.GetAsync(Code, Ct)).Stage);

        // The plan the gate judged is fixed now: a new planned layer would slip past it; the as-built one is welcome.
        var again = PackageReader.Read(Write(CompliantPackage(), "new-plan"));
        var fixedPlan = await Assert.ThrowsAsync<DomainValidationException>(() => Importer.ImportAsync(again, "test", cancellationToken: Ct));
        Assert.Contains("parcels_after", Assert.Single(fixedPlan.Errors).Message, StringComparison.Ordinal);
        Db.ChangeTracker.Clear();

        // Every attempt's result is in the history, and the waiver with who granted it, in which role, and why.
        var gates = await GatesAsync();
        Assert.Equal([ProjectChangeKind.GateChecked, ProjectChangeKind.GateChecked, ProjectChangeKind.GateWaived], gates.Select(g => g.Kind));
        using var checkedJson = System.Text.Json.JsonDocument.Parse(gates[0].After!);
        Assert.False(checkedJson.RootElement.GetProperty("held").GetBoolean());
        Assert.Equal("parcels_after", checkedJson.RootElement.GetProperty("layer").GetString());
        Assert.Equal(["R01", "R03", "R12"], checkedJson.RootElement.GetProperty("failing").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("fail", checkedJson.RootElement.GetProperty("verdicts").GetProperty("R01").GetString());
        var waiver = gates[2];
        Assert.Equal("市局审查人乙", waiver.Actor);
        Assert.Equal("高标准农田建设已立项，竣工前补齐", waiver.Comment);
        using var waiverJson = System.Text.Json.JsonDocument.Parse(waiver.After!);
        Assert.Equal("city_bureau", waiverJson.RootElement.GetProperty("role").GetString());
        Assert.Equal(["R01", "R03", "R12"], waiverJson.RootElement.GetProperty("rules").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task AcceptanceGates_CheckTheAsBuiltLayer()
    {
        await Importer.ImportAsync(PackageReader.Read(Write(CompliantPackage(), "compliant")), "test", cancellationToken: Ct);
        await MoveToAsync(ProjectStage.DistrictAcceptance);
        var gates = await GatesAsync();
        using (var plan = System.Text.Json.JsonDocument.Parse(Assert.Single(gates).After!))
        {
            Assert.True(plan.RootElement.GetProperty("held").GetBoolean());
        }

        // No as-built layer yet: district acceptance cannot be checked, and no waiver stands in for the survey.
        var registry = scope.ServiceProvider.GetRequiredService<ProjectRegistry>();
        var city = new Actor("市局审查人乙", new HashSet<Role> { Role.CityBureau });
        var missing = await Assert.ThrowsAsync<DomainValidationException>(() => registry.MoveStageAsync(Code, ProjectStage.CityAcceptance, null, city, "waive", Ct));
        Assert.Contains("parcels_as_built", Assert.Single(missing.Errors).Message, StringComparison.Ordinal);

        // The surveyed state, with a failing rule (PBF no longer all high-standard): district acceptance stops.
        var compliant = CompliantPackage();
        var surveyed = compliant with { After = Package().After };
        await Importer.ImportAsync(PackageReader.Read(Write(surveyed, "as-built")), "test", LayerKind.ParcelsAsBuilt, Ct);
        var failing = await Assert.ThrowsAsync<DomainValidationException>(() => registry.MoveStageAsync(Code, ProjectStage.CityAcceptance, null, Actor.Operator("test"), null, Ct));
        Assert.Contains("R01", failing.Errors[0].Message, StringComparison.Ordinal);

        // Surveyed as planned: both acceptance gates hold.
        await Importer.ImportAsync(PackageReader.Read(Write(CompliantPackage(), "as-built-ok")), "test", LayerKind.ParcelsAsBuilt, Ct);
        await MoveToAsync(ProjectStage.Maintenance);
        var layers = (await GatesAsync()).Select(g => System.Text.Json.JsonDocument.Parse(g.After!).RootElement)
            .Select(e => (e.GetProperty("gate").GetString(), e.GetProperty("layer").GetString(), e.GetProperty("held").GetBoolean())).ToList();
        Assert.Equal(
            [("plan_review", "parcels_after", true), ("district_acceptance", "parcels_as_built", false), ("district_acceptance", "parcels_as_built", false),
             ("district_acceptance", "parcels_as_built", true), ("city_acceptance", "parcels_as_built", true)],
            layers);
    }

    private string Write(ProjectPackage package, string name)
    {
        var path = Path.Combine(folder!.FullName, name);
        PackageWriter.Write(package, path);
        return path;
    }

    private async Task<string> SnapshotAsync() => string.Join("|",
        await Db.Projects.CountAsync(Ct), await Db.Layers.CountAsync(Ct), await Db.Parcels.CountAsync(Ct),
        await Db.ReferenceFeatures.CountAsync(Ct), await Db.ProjectChanges.CountAsync(Ct), await Db.Zones.CountAsync(Ct),
        string.Join(",", await Db.Projects.OrderBy(p => p.Code).Select(p => p.Code + p.DistrictCode + p.StatedFactsJson + p.UpdatedAt).ToListAsync(Ct)),
        string.Join(",", await Db.Layers.OrderBy(l => l.Id).Select(l => l.Id + ":" + l.Kind).ToListAsync(Ct)));
}

public sealed class SqlitePackageTests : PackageContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresPackageTests : PackageContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
