using Fuchun.Domain.Layers;
using Fuchun.Domain.Packages;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Resources;
using Fuchun.Storage.Projects;
using Microsoft.EntityFrameworkCore;

namespace Fuchun.Storage.Packages;

/// <summary>
/// A stored project as a project package: <c>project.json</c> from the registry's fields and the stated facts,
/// the project area, zones, both parcel layers, the reference layers it has, and its townships' shapes (its own
/// township layer when its package brought one, else the city's). Written by <see cref="PackageWriter"/> in either form.
/// </summary>
public sealed class PackageExporter(FuchunDbContext db)
{
    /// <summary>
    /// The package of project <paramref name="code"/>; <paramref name="afterKind"/> chooses the after-layer written as
    /// <c>parcels_after</c>: the planned one (plan review) or the as-built one (acceptance).
    /// </summary>
    public async Task<ProjectPackage> LoadAsync(string code, LayerKind afterKind = LayerKind.ParcelsAfter, CancellationToken cancellationToken = default)
    {
        var project = await db.Projects.AsNoTracking().Include(p => p.Zones).FirstOrDefaultAsync(p => p.Code == code, cancellationToken)
            ?? throw new ProjectNotFoundException(code);
        var layers = await db.Layers.AsNoTracking().Where(l => l.ProjectId == project.Id).ToListAsync(cancellationToken);
        var before = layers.FirstOrDefault(l => l.Kind == LayerKind.ParcelsBefore);
        var after = layers.FirstOrDefault(l => l.Kind == afterKind);
        if (project.ProjectArea is null || before is null || after is null)
        {
            throw new PackageExportException(project.ProjectArea is null
                ? Messages.PackageExportNoArea(code)
                : Messages.LayerNotFound(code, (before is null ? LayerKind.ParcelsBefore : afterKind).PackageName()));
        }

        async Task<IReadOnlyList<Parcel>> ParcelsAsync(int layerId) =>
            await db.Parcels.AsNoTracking().Where(p => p.LayerId == layerId).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var references = new Dictionary<LayerKind, IReadOnlyList<ReferenceFeature>>();
        IReadOnlyList<PackageTownship> townships = [];
        foreach (var layer in layers.Where(l => !l.Kind.HoldsParcels()))
        {
            var features = await db.ReferenceFeatures.AsNoTracking().Where(f => f.LayerId == layer.Id).OrderBy(f => f.Id).ToListAsync(cancellationToken);
            if (layer.Kind == LayerKind.Townships)
            {
                townships = [.. features.Select(f => new PackageTownship(f.Kind ?? "", f.Name ?? "", f.Geometry))];
            }
            else
            {
                references[layer.Kind] = features;
            }
        }

        if (townships.Count == 0)
        {
            var codes = project.TownshipCodes;
            townships = [.. (await db.Townships.AsNoTracking().Where(t => codes.Contains(t.Code) && t.Shape != null).OrderBy(t => t.Code).ToListAsync(cancellationToken))
                .Select(t => new PackageTownship(t.Code, t.Name, t.Shape!, t.ShapeIsSynthetic))];
        }

        // Reading a whole project out is a sensitive export: it is an entry of the audit trail.
        await db.AuditAsync("package.exported", code, System.Text.Json.JsonSerializer.Serialize(new { afterLayer = afterKind.PackageName() }), cancellationToken);
        return new ProjectPackage(
            code,
            PackageProjectJson.Build(project.Details, project.Stage, project.StatedFactsJson),
            project.ProjectArea,
            [.. project.Zones.OrderBy(z => z.ZoneCode, StringComparer.Ordinal).Select(z => new ZoneInput(z.ZoneCode, z.Name, z.Geometry))],
            await ParcelsAsync(before.Id),
            await ParcelsAsync(after.Id),
            references,
            townships);
    }

    /// <summary>Writes project <paramref name="code"/> as a package at <paramref name="path"/> (<c>.gpkg</c>: GeoPackage; else a folder).</summary>
    public async Task<IReadOnlyList<string>> ExportAsync(string code, string path, LayerKind afterKind = LayerKind.ParcelsAfter, CancellationToken cancellationToken = default)
    {
        var package = await LoadAsync(code, afterKind, cancellationToken);
        return PackageWriter.Write(package, path);
    }
}

/// <summary>A project cannot be written as a package (no project area, or a parcel layer missing).</summary>
public sealed class PackageExportException(string message) : Exception(message);
