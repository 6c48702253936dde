using Fuchun.Domain.Governance;
using Fuchun.Domain.Layers;
using Fuchun.Spatial.Tiles;
using Fuchun.Storage;
using Fuchun.Storage.Layers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Fuchun.Server.Endpoints;

/// <summary>
/// Vector tiles of parcel layers: <c>/tiles/{layerId}/{z}/{x}/{y}.mvt</c> (Mapbox Vector Tile, XYZ scheme). A layer
/// is never changed in place (writing replaces it under a new id), so a tile's ETag is its address and a client
/// may keep it. Large layers (<see cref="Layer.HasOverviews"/>) are drawn from their pre-built overviews up to
/// <see cref="LayerOverviews.MaxLevel"/>; below <see cref="Layer.TilesMinZoom"/> parcels are too small to draw and the
/// answer is 204.
/// </summary>
internal static class TileEndpoints
{
    public static void MapTileEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/tiles/{layerId:int}/{z:int}/{x:int}/{y:int}.mvt", TileAsync)
            .WithTags("地图").WithName("GetParcelTile").RequireAuthorization(Capability.ReadProjects.PolicyName()).WithSummary("图层矢量瓦片（Mapbox Vector Tile）")
            .Produces(StatusCodes.Status200OK, contentType: "application/vnd.mapbox-vector-tile")
            .Produces(StatusCodes.Status204NoContent).Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> TileAsync(int layerId, int z, int x, int y, HttpContext http, FuchunDbContext db, ILayerStore store, CancellationToken ct)
    {
        var tile = new TileAddress(z, x, y);
        var layer = await db.Layers.AsNoTracking().FirstOrDefaultAsync(l => l.Id == layerId, ct);
        if (!tile.IsValid || layer is null || !layer.Kind.HoldsParcels())
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "未找到该图层或瓦片");
        }

        var etag = new EntityTagHeaderValue($"\"{layerId}.{z}.{x}.{y}\"");
        http.Response.Headers.ETag = etag.ToString();
        http.Response.Headers.CacheControl = "private, max-age=86400";
        if (http.Request.GetTypedHeaders().IfNoneMatch.Any(e => e.Compare(etag, useStrongComparison: false)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var bytes = await store.ReadLayerTileAsync(layer, tile, ct);
        return bytes.Length == 0 ? Results.NoContent() : Results.Bytes(bytes, "application/vnd.mapbox-vector-tile");
    }
}
