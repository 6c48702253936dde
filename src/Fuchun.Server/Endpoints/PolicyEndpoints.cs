using System.Text.Json.Nodes;
using Fuchun.Domain.Governance;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Policy;
using Fuchun.Domain.Resources;
using Fuchun.Storage;
using Fuchun.Storage.Analysis;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fuchun.Server.Endpoints;

/// <summary>The policy checks (政策规则核查) of a stored project: the JSON of <c>fuchun check --json</c>.</summary>
internal static class PolicyEndpoints
{
    public static void MapPolicyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/projects/{code}/check", CheckAsync).WithTags("政策规则核查").WithName("CheckProject").RequireAuthorization(Capability.ReadProjects.PolicyName())
            .WithSummary("逐条核查杭政办函〔2023〕21号规则 R01–R16：结论、实测值、阈值、单位、依据条款、读法、输入和问题图斑（layer=parcels_as_built 按竣工图层核查）")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/projects/{code}/check.xlsx", WorkbookAsync).WithTags("政策规则核查").WithName("CheckProjectWorkbook").RequireAuthorization(Capability.ExportData.PolicyName())
            .WithSummary("规则核查结论导出为 Excel（.xlsx）：一张结论表、一张计算过程表")
            .Produces(StatusCodes.Status200OK, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>The after-layer a check reads: <c>parcels_after</c> (planned, the default) or <c>parcels_as_built</c>.</summary>
    private static LayerKind? AfterLayer(string? layer) => layer switch
    {
        null or "" or "parcels_after" => LayerKind.ParcelsAfter,
        "parcels_as_built" => LayerKind.ParcelsAsBuilt,
        _ => null,
    };

    private static ProblemHttpResult BadLayer(string? layer) => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest,
        title: Messages.ValidationTitle(), detail: Messages.CheckLayer(layer ?? ""));

    private static async Task<IResult> WorkbookAsync(string code, string? layer, ProjectAnalyzer analyzer, FuchunDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var edition = PolicyEdition.Default;
        if (AfterLayer(layer) is not { } afterKind)
        {
            return BadLayer(layer);
        }

        var (results, missing) = await analyzer.CheckAsync(code, edition, afterKind, ct);
        if (results is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: Messages.NotFoundTitle(),
                detail: Messages.LayerNotFound(code, (missing ?? LayerKind.ParcelsBefore).PackageName()));
        }

        var name = await db.Projects.Where(p => p.Code == code).Select(p => p.Name).FirstAsync(ct);
        var stream = new MemoryStream();
        ComplianceWorkbook.Write(stream, code, name, edition, results, clock.GetLocalNow());
        stream.Position = 0;
        await db.AuditAsync("check.exported", code, System.Text.Json.JsonSerializer.Serialize(new { layer = afterKind.PackageName(), edition = edition.Id }), ct);
        return Results.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{code}-政策规则核查.xlsx");
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> CheckAsync(string code, string? layer, ProjectAnalyzer analyzer, CancellationToken ct)
    {
        var edition = PolicyEdition.Default;
        if (AfterLayer(layer) is not { } afterKind)
        {
            return BadLayer(layer);
        }

        var (results, missing) = await analyzer.CheckAsync(code, edition, afterKind, ct);
        return results is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: Messages.NotFoundTitle(),
                detail: Messages.LayerNotFound(code, (missing ?? LayerKind.ParcelsBefore).PackageName()))
            : TypedResults.Ok(PolicyJson.Write(code, edition, results));
    }
}
