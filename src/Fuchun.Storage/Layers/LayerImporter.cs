using Fuchun.Domain.Layers;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Resources;
using Fuchun.Spatial.IO;
using Fuchun.Storage.Projects;
using Microsoft.EntityFrameworkCore;

namespace Fuchun.Storage.Layers;

/// <summary>
/// Imports a parcel layer into a project: read, converted and checked as it streams into the store, in one
/// transaction that is rolled back if anything was wrong, so a failed import leaves the database as it was.
/// </summary>
public sealed class LayerImporter(FuchunDbContext db, ILayerStore store)
{
    public Task<Layer> ImportParcelsAsync(string projectCode, LayerKind kind, string name, FeatureLayer input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ImportParcelsAsync(projectCode, kind, name, new FeatureSource(input.Source, input.Crs, input.Features, input.Features.Count), null, null, cancellationToken);
    }

    public async Task<Layer> ImportParcelsAsync(string projectCode, LayerKind kind, string name, FeatureSource input, ParcelImportOptions? options, Action? progress, CancellationToken cancellationToken = default)
    {
        await using var parcels = ParcelImport.Start(input, options, progress, cancellationToken);
        return await ImportParcelsAsync(projectCode, kind, name, parcels, cancellationToken);
    }

    /// <summary>
    /// Imports parcels already being read (<see cref="ParcelImport.Start"/>): the project is checked first, and the
    /// parcels are only taken once their layer is being written, planned by the count the source declares.
    /// </summary>
    public async Task<Layer> ImportParcelsAsync(string projectCode, LayerKind kind, string name, ParcelReading parcels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parcels);
        if (!kind.HoldsParcels())
        {
            throw new ArgumentException($"{kind.PackageName()} is not a parcel layer", nameof(kind));
        }

        var project = await db.Projects.Where(p => p.Code == projectCode).Select(p => new { p.Id, p.Stage }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new ProjectNotFoundException(projectCode);
        if (kind == LayerKind.ParcelsAfter && ProjectLifecycle.PlanIsFixed(project.Stage))
        {
            throw new DomainValidationException([new FieldError("kind", Messages.PlanIsFixed(projectCode))]);
        }

        var layer = await store.ReplaceParcelLayerAsync(project.Id, kind, name, parcels, parcels.ExpectedCount, cancellationToken);
        await db.AuditAsync("layer.imported", projectCode, System.Text.Json.JsonSerializer.Serialize(new { layer = kind.PackageName(), name, parcels = layer.FeatureCount, areaM2 = layer.AreaM2 }), cancellationToken);
        return layer;
    }
}
