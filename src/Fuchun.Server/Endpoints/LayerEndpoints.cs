using System.IO.Compression;
using Fuchun.Domain.Governance;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Resources;
using Fuchun.Spatial.Crs;
using Fuchun.Spatial.IO;
using Fuchun.Storage;
using Fuchun.Storage.Layers;
using Fuchun.Storage.Projects;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fuchun.Server.Endpoints;

/// <summary>
/// Parcel layers in and out over HTTP: upload a layer as users bring it (a zipped Shapefile, a GeoPackage or a
/// GeoJSON file), checked whole and stored all or nothing; download a layer as GeoJSON, GeoPackage or a zipped
/// Shapefile (UTF-8 or GBK attributes).
/// </summary>
internal static class LayerEndpoints
{
    /// <summary>The largest upload taken: 1 GiB (a district's 三调 parcels as a zipped Shapefile fit well inside).</summary>
    public const long MaxUploadBytes = 1L << 30;

    public static void MapLayerEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/projects/{code}/layers").WithTags("图层");
        group.MapPost("/{kind}", ImportAsync).WithName("ImportLayer").RequireAuthorization(Capability.EditProjects.PolicyName())
            .WithSummary("上传地类图斑图层（zip 压缩的 Shapefile、GeoPackage 或 GeoJSON）：整体检查，全部写入或不写入")
            .DisableAntiforgery()   // WebSecurity.RefuseForgedRequests checks every change; the form binder need not again
            .WithMetadata(new RequestSizeLimitAttribute(MaxUploadBytes), new RequestFormLimitsAttribute { MultipartBodyLengthLimit = MaxUploadBytes })
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{kind}/export", ExportAsync).WithName("ExportLayer").RequireAuthorization(Capability.ExportData.PolicyName())
            .WithSummary("下载地类图斑图层：format=geojson、gpkg 或 shp（zip 压缩；gbk=true 时属性表为 GBK）")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static ValidationProblem Invalid(string field, params string[] messages) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { [field] = messages }, title: Messages.ValidationTitle());

    private static async Task<Results<Ok<LayerResponse>, ValidationProblem>> ImportAsync(
        string code, string kind, IFormFile file, [FromForm] bool? repair, LayerImporter importer, CancellationToken ct)
    {
        if (LayerKinds.ParcelKindFromPackageName(kind) is not { } layerKind)
        {
            return Invalid("kind", Messages.LayerKindNotParcels(kind));
        }

        var extension = Path.GetExtension(file.FileName).ToLowerInvariant();
        if (extension is not (".zip" or ".gpkg" or ".geojson" or ".json"))
        {
            return Invalid("file", Messages.LayerUploadFormat(file.FileName));
        }

        using var upload = await SavedUpload.SaveAsync(file, extension, ct);
        var options = new ParcelImportOptions { Repair = repair == true };
        try
        {
            var source = GeometryFiles.OpenFeatures(upload.Path);
            var layer = await importer.ImportParcelsAsync(code, layerKind, Path.GetFileName(file.FileName), source with { Source = file.FileName }, options, null, ct);
            return TypedResults.Ok(LayerResponse.Of(layer));
        }
        catch (LayerImportRejectedException ex)
        {
            return Invalid("file", [.. ex.Problems.Take(200).Select(p => upload.Named(p.ToString()))]);
        }
        catch (Exception ex) when (ex is SpatialInputException or UnknownCoordinateSystemException)
        {
            return Invalid("file", upload.Named(ex.Message));
        }
    }

    private static async Task<IResult> ExportAsync(string code, string kind, string? format, bool? gbk, ProjectRegistry registry, FuchunDbContext db, LayerExporter exporter, CancellationToken ct)
    {
        var project = await registry.GetAsync(code, ct);
        if (LayerKinds.ParcelKindFromPackageName(kind) is not { } layerKind || !await db.Layers.AnyAsync(l => l.ProjectId == project.Id && l.Kind == layerKind, ct))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: Messages.NotFoundTitle(), detail: Messages.LayerNotFound(code, kind));
        }

        var extension = (format ?? "geojson").ToLowerInvariant() switch
        {
            "geojson" => ".geojson",
            "gpkg" => ".gpkg",
            "shp" => ".shp",
            _ => null,
        };
        if (extension is null)
        {
            return Invalid("format", Messages.LayerExportFormat(format!));
        }

        var folder = Directory.CreateTempSubdirectory("fuchun-export-");
        var name = $"{code}-{kind}";
        var path = Path.Combine(folder.FullName, name + extension);
        await exporter.ExportParcelsAsync(code, layerKind, path, gbk == true, ct);
        var download = path;
        if (extension == ".shp")
        {
            download = Path.Combine(folder.FullName, name + ".zip");
            using var zip = ZipFile.Open(download, ZipArchiveMode.Create);
            foreach (var part in Directory.EnumerateFiles(folder.FullName, name + ".*").Where(f => !f.EndsWith(".zip", StringComparison.Ordinal)))
            {
                zip.CreateEntryFromFile(part, Path.GetFileName(part));
            }
        }

        var bytes = await File.ReadAllBytesAsync(download, ct);
        folder.Delete(recursive: true);
        var contentType = Path.GetExtension(download) switch
        {
            ".geojson" => "application/geo+json",
            ".gpkg" => "application/geopackage+sqlite3",
            _ => "application/zip",
        };
        return TypedResults.File(bytes, contentType, Path.GetFileName(download));
    }
}
