using System.Text.Json.Nodes;
using Fuchun.Domain.Analysis;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Resources;
using Fuchun.Storage.Analysis;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fuchun.Server.Endpoints;

/// <summary>
/// A project's analysis (分析研判): the JSON of <c>fuchun analyze --json</c> for the stored project, with each
/// block's parcel ids and the ids of the layers read, so the map can colour the parcels of each block.
/// </summary>
internal static class AnalysisEndpoints
{
    public static void MapAnalysisEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/projects/{code}/analysis", AnalyzeAsync).WithTags("分析研判").WithName("AnalyzeProject")
            .WithSummary("项目分析研判：整治前后地类面积、地类转移矩阵、集中连片、开天窗与碎片化、耕地破碎度")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> AnalyzeAsync(string code, ProjectAnalyzer analyzer, CancellationToken ct)
    {
        var outcome = await analyzer.AnalyzeAsync(code, ct);
        if (outcome.Result is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: Messages.NotFoundTitle(),
                detail: Messages.LayerNotFound(code, outcome.MissingLayer!.Value.PackageName()));
        }

        var json = AnalysisJson.Write(outcome.Result, withParcelIds: true);
        json["layers"] = new JsonObject { ["parcels_before"] = outcome.Layers!.Before, ["parcels_after"] = outcome.Layers.After };
        return TypedResults.Ok(json);
    }
}
