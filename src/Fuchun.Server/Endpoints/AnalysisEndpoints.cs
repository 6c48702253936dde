using System.Text.Json;
using System.Text.Json.Nodes;
using Fuchun.Domain.Analysis;
using Fuchun.Domain.Governance;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Resources;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.IO;
using Fuchun.Spatial.Validation;
using Fuchun.Storage.Analysis;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Features;

namespace Fuchun.Server.Endpoints;

/// <summary>
/// A project's analysis (分析研判): the JSON of <c>fuchun analyze --json</c> for the stored project, with each
/// block's parcel ids and the ids of the layers read, so the map can colour the parcels of each block; the blocks'
/// outlines as GeoJSON; the land-use account inside any polygon a user draws or uploads.
/// </summary>
internal static class AnalysisEndpoints
{
    public static void MapAnalysisEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/projects/{code}/analysis").WithTags("分析研判");
        group.MapGet("", AnalyzeAsync).WithName("AnalyzeProject").RequireAuthorization(Capability.ReadProjects.PolicyName())
            .WithSummary("项目分析研判：整治前后地类面积、地类转移矩阵、集中连片、开天窗与碎片化、耕地破碎度")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/blocks/{set}", BlocksAsync).WithName("GetProjectBlocks").RequireAuthorization(Capability.ReadProjects.PolicyName())
            .WithSummary("集中连片范围（GeoJSON）：set = pbf_before、pbf_after、farmland_before 或 farmland_after")
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/accounts", AccountAsync).WithName("AccountForPolygon").RequireAuthorization(Capability.ReadProjects.PolicyName())
            .WithSummary("任意范围（GeoJSON 面）内整治前后的地类面积统计")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static ProblemHttpResult Missing(string code, LayerKind? kind) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: Messages.NotFoundTitle(),
            detail: Messages.LayerNotFound(code, (kind ?? LayerKind.ParcelsBefore).PackageName()));

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> AnalyzeAsync(string code, ProjectAnalyzer analyzer, CancellationToken ct)
    {
        var outcome = await analyzer.AnalyzeAsync(code, ct);
        if (outcome.Result is null)
        {
            return Missing(code, outcome.MissingLayer);
        }

        var json = AnalysisJson.Write(outcome.Result, withParcelIds: true);
        json["layers"] = new JsonObject { ["parcels_before"] = outcome.Layers!.Before, ["parcels_after"] = outcome.Layers.After };
        return TypedResults.Ok(json);
    }

    private static async Task<IResult> BlocksAsync(string code, string set, ProjectAnalyzer analyzer, CancellationToken ct)
    {
        if (!ProjectAnalysis.BlockSets.Contains(set))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: Messages.NotFoundTitle(), detail: Messages.UnknownBlockSet(set));
        }

        var (blocks, missing) = await analyzer.BlocksAsync(code, set, ct);
        if (blocks is null)
        {
            return Missing(code, missing);
        }

        var collection = new FeatureCollection();
        foreach (var (b, i) in blocks.Select((b, i) => (b, i)))
        {
            collection.Add(new Feature(b.Geometry, new AttributesTable
            {
                { "rank", i + 1 },
                { "tier", b.Tier },
                { "area_m2", Math.Round(b.AreaM2, 4) },
                { "area_mu", Math.Round(AreaUnits.ToMu(b.AreaM2), 4) },
                { "parcels", b.ParcelIds.Count },
            }));
        }

        return Results.Text(JsonSerializer.Serialize(collection, GeoJsonGeometryReader.SerializerOptions), "application/geo+json");
    }

    private static async Task<Results<Ok<JsonObject>, ValidationProblem, ProblemHttpResult>> AccountAsync(
        string code, JsonElement body, ProjectAnalyzer analyzer, CancellationToken ct)
    {
        NetTopologySuite.Geometries.MultiPolygon polygon;
        try
        {
            polygon = GeoJsonGeometryReader.ReadMultiPolygon(body.GetRawText());
        }
        catch (GeoJsonFormatException ex)
        {
            return Invalid(Messages.GeoJsonUnreadable(ex.Message));
        }

        if (PolygonValidator.Validate(polygon) is { } problem)
        {
            return Invalid(ProjectValidator.Describe(problem));
        }

        var (account, missing) = await analyzer.AccountAsync(code, polygon, ct);
        return account is null ? Missing(code, missing) : TypedResults.Ok(AnalysisJson.WriteAccount(account));
    }

    private static ValidationProblem Invalid(string message) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { ["polygon"] = [message] }, title: Messages.ValidationTitle());
}
