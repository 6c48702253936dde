using Fuchun.Domain.LandClasses;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Packages;
using Fuchun.Spatial.IO;
using Fuchun.Storage.Projects;
using Microsoft.EntityFrameworkCore;

namespace Fuchun.Storage.Layers;

/// <summary>
/// Exports a project's parcel layer as delivered formats: DLBM, PBF, HSF (0/1), ZLDWDM, TBMJ (the ellipsoidal
/// area in m²) and every attribute kept from the import, in EPSG:4490, with the land classes' style for QGIS (in
/// the GeoPackage, or a <c>.qml</c> beside the Shapefile).
/// </summary>
public sealed class LayerExporter(FuchunDbContext db)
{
    public async Task<int> ExportParcelsAsync(string projectCode, LayerKind kind, string path, bool gbk = false, CancellationToken cancellationToken = default)
    {
        var projectId = await db.Projects.Where(p => p.Code == projectCode).Select(p => (int?)p.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new ProjectNotFoundException(projectCode);
        var layerId = await db.Layers.Where(l => l.ProjectId == projectId && l.Kind == kind).Select(l => (int?)l.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"project {projectCode} has no {kind.PackageName()} layer");
        var parcels = await db.Parcels.AsNoTracking().Where(p => p.LayerId == layerId).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var features = parcels.Select(ParcelFeatures.ToFeature).ToList();
        await db.AuditAsync("layer.exported", projectCode, System.Text.Json.JsonSerializer.Serialize(new { layer = kind.PackageName(), format = Path.GetExtension(path), parcels = features.Count }), cancellationToken);
        FeatureFileWriter.Write(path, kind.PackageName(), features, gbk, LandClassStyle.For(ParcelFeatures.LandClassField));
        return features.Count;
    }
}
