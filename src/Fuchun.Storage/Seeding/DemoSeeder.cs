using Fuchun.Domain.Demo;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Reference;
using Fuchun.Storage.Layers;
using Fuchun.Storage.Projects;
using Microsoft.EntityFrameworkCore;

namespace Fuchun.Storage.Seeding;

/// <summary>
/// Fills an empty database with Hangzhou's districts and townships and, optionally, the demo projects, taking
/// each project through the registry (so its history shows how it got to its stage) and writing its layers.
/// All in one transaction: a failed seed leaves the database empty.
/// </summary>
public sealed class DemoSeeder(FuchunDbContext db, ProjectRegistry registry, ILayerStore layers)
{
    /// <summary>The actor recorded for seeded changes.</summary>
    public const string Actor = "system:demo";

    /// <summary>Seeds when the database holds no districts yet; returns whether it did.</summary>
    public async Task<bool> SeedIfEmptyAsync(bool withProjects, int seed = DemoCatalog.DefaultSeed, CancellationToken cancellationToken = default)
    {
        if (await db.Districts.AnyAsync(cancellationToken))
        {
            return false;
        }

        var city = withProjects
            ? DemoCatalog.Build(seed)
            : new DemoCity(HangzhouReferenceData.CreateDistricts(), DemoCatalog.BuildTownships(seed), []);
        await db.InTransactionAsync(async () =>
        {
            db.Districts.AddRange(city.Districts);
            db.Townships.AddRange(city.Townships);
            await db.SaveChangesAsync(cancellationToken);
            foreach (var demo in city.Projects)
            {
                await SeedProjectAsync(demo, cancellationToken);
            }

            return true;
        }, cancellationToken);
        db.ChangeTracker.Clear();
        return true;
    }

    private async Task SeedProjectAsync(DemoProject demo, CancellationToken cancellationToken)
    {
        var code = demo.Details.Code;
        var project = await registry.CreateAsync(demo.Details, Actor, new ProjectGeometry(demo.ProjectArea, demo.Zones), cancellationToken);
        while (project.Stage < demo.Stage)
        {
            project = await registry.RegisterStageAsync(code, project.Stage + 1, Actor, cancellationToken);
        }

        foreach (var (kind, parcels) in demo.ParcelLayers)
        {
            await layers.ReplaceLayerAsync(project.Id, kind, LayerName(kind), [.. parcels], [], cancellationToken);
        }

        foreach (var (kind, features) in demo.ReferenceLayers)
        {
            await layers.ReplaceLayerAsync(project.Id, kind, LayerName(kind), [], [.. features], cancellationToken);
        }
    }

    private static string LayerName(LayerKind kind) => Packages.PackageImporter.Name(kind);
}
