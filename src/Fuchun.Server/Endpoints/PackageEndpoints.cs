using System.IO.Compression;
using Fuchun.Domain.Governance;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Packages;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Resources;
using Fuchun.Server.Security;
using Fuchun.Storage.Packages;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fuchun.Server.Endpoints;

/// <summary>
/// Project packages over HTTP (<c>project-package.md</c>): upload one (a GeoPackage, or a zip of the folder form) to
/// create or update its project, all or nothing; download any project as a package in either form.
/// </summary>
internal static class PackageEndpoints
{
    public static void MapPackageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/packages", ImportAsync).WithTags("项目包").WithName("ImportPackage").RequireAuthorization(Capability.EditProjects.PolicyName())
            .WithSummary("上传项目包（.gpkg，或装有 project.json 和各图层 GeoJSON 的 .zip）：新项目登记为储备，已有项目（同 id）整体更新；有问题则不写入")
            .DisableAntiforgery()   // WebSecurity.RefuseForgedRequests checks every change; the form binder need not again
            .WithMetadata(new RequestSizeLimitAttribute(LayerEndpoints.MaxUploadBytes), new RequestFormLimitsAttribute { MultipartBodyLengthLimit = LayerEndpoints.MaxUploadBytes })
            .ProducesValidationProblem();
        app.MapGet("/api/projects/{code}/package", ExportAsync).WithTags("项目包").WithName("ExportPackage").RequireAuthorization(Capability.ExportData.PolicyName())
            .WithSummary("下载项目包：format=gpkg（单个 GeoPackage，默认）或 zip（文件夹形式）；layer=parcels_as_built 时以竣工图层作 parcels_after")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static ValidationProblem Invalid(string field, params string[] messages) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { [field] = messages }, title: Messages.ValidationTitle());

    private static async Task<Results<Ok<ProjectResponse>, ValidationProblem>> ImportAsync(
        IFormFile file, [FromForm(Name = "as_built")] bool? asBuilt, PackageImporter importer, HttpContext http, CancellationToken ct)
    {
        var extension = Path.GetExtension(file.FileName).ToLowerInvariant();
        if (extension is not (".gpkg" or ".zip"))
        {
            return Invalid("file", Messages.PackageUploadFormat(file.FileName));
        }

        using var upload = await SavedUpload.SaveAsync(file, extension, ct);
        try
        {
            var package = PackageReader.Read(upload.Path);
            DistrictIsolation.EnsureOwn(http, package.Project["district"] is System.Text.Json.Nodes.JsonValue d && d.TryGetValue<string>(out var district) ? district : null);
            var project = await importer.ImportAsync(package, Actor.Of(http), asBuilt == true ? LayerKind.ParcelsAsBuilt : LayerKind.ParcelsAfter, ct);
            return TypedResults.Ok(ProjectEndpoints.Response(project));
        }
        catch (LayerImportRejectedException ex)
        {
            return Invalid("file", [.. ex.Problems.Take(200).Select(p => upload.Named(p.ToString()))]);
        }
        catch (DomainValidationException ex)
        {
            return TypedResults.ValidationProblem(
                ex.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => Messages.PackageFieldError(file.FileName, e.Message)).ToArray()),
                title: Messages.ValidationTitle());
        }
    }

    private static async Task<IResult> ExportAsync(string code, string? format, string? layer, PackageExporter exporter, CancellationToken ct)
    {
        var zip = (format ?? "gpkg").ToLowerInvariant() switch
        {
            "gpkg" => (bool?)false,
            "zip" => true,
            _ => null,
        };
        if (zip is null)
        {
            return Invalid("format", Messages.PackageExportFormat(format!));
        }

        var afterKind = layer switch
        {
            null or "" or "parcels_after" => (LayerKind?)LayerKind.ParcelsAfter,
            "parcels_as_built" => LayerKind.ParcelsAsBuilt,
            _ => null,
        };
        if (afterKind is null)
        {
            return Invalid("layer", Messages.CheckLayer(layer!));
        }

        ProjectPackage package;
        try
        {
            package = await exporter.LoadAsync(code, afterKind.Value, ct);
        }
        catch (PackageExportException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: Messages.NotFoundTitle(), detail: ex.Message);
        }

        var folder = Directory.CreateTempSubdirectory("fuchun-package-export-");
        try
        {
            var suffix = afterKind == LayerKind.ParcelsAsBuilt ? "-竣工" : "";
            string download;
            if (zip == true)
            {
                var inner = Path.Combine(folder.FullName, code);
                PackageWriter.Write(package, inner);
                download = Path.Combine(folder.FullName, $"{code}{suffix}.zip");
                ZipFile.CreateFromDirectory(inner, download, CompressionLevel.Optimal, includeBaseDirectory: true);
            }
            else
            {
                download = Path.Combine(folder.FullName, $"{code}{suffix}.gpkg");
                PackageWriter.Write(package, download);
            }

            var bytes = await File.ReadAllBytesAsync(download, ct);
            return TypedResults.File(bytes, zip == true ? "application/zip" : "application/geopackage+sqlite3", Path.GetFileName(download));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
