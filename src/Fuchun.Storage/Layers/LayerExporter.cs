using System.Text.Json;
using Fuchun.Domain.Layers;
using Fuchun.Spatial.IO;
using Fuchun.Storage.Projects;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;

namespace Fuchun.Storage.Layers;

/// <summary>
/// Exports a project's parcel layer as delivered formats: DLBM, PBF, HSF (0/1), ZLDWDM, TBMJ (the ellipsoidal
/// area in m²) and every attribute kept from the import, in EPSG:4490.
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
        var features = parcels.Select(p =>
        {
            var attributes = new AttributesTable
            {
                { "DLBM", p.LandClass },
                { "PBF", p.IsPbf ? 1 : 0 },
                { "HSF", p.IsHighStandard ? 1 : 0 },
                { "ZLDWDM", p.LocationCode },
                { "TBMJ", Math.Round(p.AreaM2, 2) },
            };
            if (p.AttributesJson is { } json)
            {
                foreach (var property in JsonDocument.Parse(json).RootElement.EnumerateObject().Where(x => !attributes.Exists(x.Name)))
                {
                    attributes.Add(property.Name, property.Value.ValueKind switch
                    {
                        JsonValueKind.Number => property.Value.GetDouble(),
                        JsonValueKind.Null => null,
                        _ => property.Value.ToString(),
                    });
                }
            }

            return (IFeature)new Feature(p.Geometry, attributes);
        }).ToList();
        FeatureFileWriter.Write(path, kind.PackageName(), features, gbk);
        return features.Count;
    }
}
