using Fuchun.Domain.Governance;
using Fuchun.Domain.Policy;
using Fuchun.Domain.Projects;
using Fuchun.Storage.Projects;
using Microsoft.AspNetCore.Mvc;

namespace Fuchun.Server.Endpoints;

/// <summary>A document filed with a project (never where it is kept).</summary>
public sealed record DocumentResponse(int Id, string Kind, string KindName, ProjectStage Stage, string StageName, string FileName, string ContentType, long SizeBytes, string Sha256, string UploadedBy, DateTimeOffset UploadedAt);

/// <summary>A document the project's next move needs, and whether it is filed.</summary>
public sealed record RequiredDocumentResponse(string Kind, string Name, ProjectStage To, string Basis, bool Filed);

/// <summary>A project's documents and what its next move still needs.</summary>
public sealed record DocumentsResponse(IReadOnlyList<DocumentResponse> Items, IReadOnlyList<RequiredDocumentResponse> RequiredForNext, IReadOnlyDictionary<string, string> Kinds, IReadOnlyList<string> Extensions);

/// <summary>
/// Documents on a project's transitions (<c>/api/projects/{code}/documents</c>): filed by those who decide its stages,
/// read by those who may take its data away; the files live outside the web root and come only through here.
/// </summary>
internal static class DocumentEndpoints
{
    public static void MapDocumentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/projects/{code}/documents").WithTags("项目材料");
        group.MapGet("/", ListAsync).WithName("ListProjectDocuments").RequireAuthorization(Capability.ReadProjects.PolicyName())
            .WithSummary("项目材料，以及下一阶段须先上传的材料").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", UploadAsync).WithName("FileProjectDocument").RequireAuthorization(Capability.MoveStages.PolicyName())
            .WithSummary("上传材料（PDF、图片、Office/OFD 文件，至多 20 MB；类型按扩展名和文件内容核对）")
            .DisableAntiforgery()   // WebSecurity.RefuseForgedRequests checks every change; the form binder need not again
            .WithMetadata(new RequestSizeLimitAttribute(DocumentFiles.MaxBytes + (1024 * 1024)))
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:int}", DownloadAsync).WithName("GetProjectDocument").RequireAuthorization(Capability.ExportData.PolicyName())
            .WithSummary("下载材料（记入审计）").ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static DocumentResponse Response(ProjectDocument d) => new(d.Id, d.Kind, DocumentKinds.Names[d.Kind], d.Stage,
        ProjectRegistry.StageName(d.Stage), d.FileName, d.ContentType, d.SizeBytes, d.Sha256, d.UploadedBy, d.UploadedAt);

    private static async Task<IResult> ListAsync(string code, DocumentStore documents, ProjectRegistry registry, CancellationToken ct)
    {
        var project = await registry.GetAsync(code, ct);
        var items = await documents.ListAsync(code, ct);
        var next = ProjectLifecycle.Next(project.Stage);
        var required = next is { } n ? PolicyEdition.Default.DocumentsFor(project.Stage, n) : [];
        return TypedResults.Ok(new DocumentsResponse([.. items.Select(Response)],
            [.. required.Select(r => new RequiredDocumentResponse(r.Kind, r.Name, r.To, r.Basis, items.Any(i => i.Kind == r.Kind)))],
            DocumentKinds.Names, DocumentFiles.Extensions));
    }

    private static async Task<IResult> UploadAsync(string code, IFormFile file, [FromForm] string kind, DocumentStore documents, HttpContext http, CancellationToken ct)
    {
        await using var content = file.OpenReadStream();
        return TypedResults.Ok(Response(await documents.AddAsync(code, kind, file.FileName, content, Actor.Of(http), ct)));
    }

    private static async Task<IResult> DownloadAsync(string code, int id, DocumentStore documents, HttpContext http, CancellationToken ct)
    {
        var (document, content) = await documents.OpenAsync(code, id, Actor.Of(http), ct);
        return TypedResults.File(content, document.ContentType, document.FileName);
    }
}
