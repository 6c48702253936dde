using Fuchun.Domain.Governance;
using System.Text.Json;
using Fuchun.Domain.LandClasses;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Policy;
using Fuchun.Domain.Projects;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.IO;
using Fuchun.Storage;
using Fuchun.Storage.Projects;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;

namespace Fuchun.Server.Endpoints;

/// <summary>Reference data: districts, townships, lifecycle stages, UI configuration.</summary>
internal static class ReferenceEndpoints
{
    public static void MapReferenceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("基础数据");
        group.MapGet("/districts", DistrictsAsync).WithName("ListDistricts").WithSummary("区、县（市）列表");
        group.MapGet("/districts/{code}/townships", TownshipsAsync).WithName("ListTownships").WithSummary("区县所辖乡镇（街道）");
        group.MapGet("/districts/{code}/boundary", BoundaryAsync).WithName("GetDistrictBoundary").WithSummary("区县边界（GeoJSON，CGCS2000）")
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json");
        group.MapGet("/land-classes", () => TypedResults.Ok(LandClassCatalog.All.Values.OrderBy(c => c.Code, StringComparer.Ordinal).ToList()))
            .WithName("ListLandClasses").WithSummary("三调地类（编码、名称、一级类、三大类、图上颜色）");
        group.MapGet("/stages", Stages).WithName("ListStages").WithSummary("项目生命周期阶段");
        group.MapGet("/config", (IConfiguration config) => TypedResults.Ok(new UiConfig(config["Fuchun:Tianditu:Key"] is { Length: > 0 } key ? key : null)))
            .WithName("GetUiConfig").WithSummary("界面配置（在线底图等）");
    }

    /// <summary>What the web UI needs to know of the configuration: the 天地图 key, when an online base map is on.</summary>
    internal sealed record UiConfig(string? TiandituKey);

    private static async Task<Ok<List<DistrictResponse>>> DistrictsAsync(FuchunDbContext db, CancellationToken ct)
    {
        var counts = await db.Townships.GroupBy(t => t.DistrictCode).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var districts = await db.Districts.AsNoTracking().OrderBy(d => d.Code).Select(d => new { d.Code, d.Name, d.AreaM2 }).ToListAsync(ct);
        return TypedResults.Ok(districts.Select(d => new DistrictResponse(d.Code, d.Name, d.AreaM2, Math.Round(AreaUnits.ToMu(d.AreaM2), 1), counts.GetValueOrDefault(d.Code))).ToList());
    }

    private static async Task<Results<Ok<List<TownshipRef>>, NotFound>> TownshipsAsync(string code, FuchunDbContext db, CancellationToken ct)
    {
        if (!await db.Districts.AnyAsync(d => d.Code == code, ct))
        {
            return TypedResults.NotFound();
        }

        var townships = await db.Townships.AsNoTracking().Where(t => t.DistrictCode == code).OrderBy(t => t.Code)
            .Select(t => new TownshipRef(t.Code, t.Name)).ToListAsync(ct);
        return TypedResults.Ok(townships);
    }

    private static async Task<IResult> BoundaryAsync(string code, FuchunDbContext db, CancellationToken ct)
    {
        var district = await db.Districts.AsNoTracking().FirstOrDefaultAsync(d => d.Code == code, ct);
        if (district is null)
        {
            return TypedResults.NotFound();
        }

        var feature = new Feature(district.Boundary, new AttributesTable { { "code", district.Code }, { "name", district.Name } });
        return Results.Text(JsonSerializer.Serialize(feature, GeoJsonGeometryReader.SerializerOptions), "application/geo+json");
    }

    private static Ok<List<StageResponse>> Stages() =>
        TypedResults.Ok(ProjectLifecycle.Order.Select((s, i) => new StageResponse(s, ProjectRegistry.StageName(s), i,
            ProjectLifecycle.DecidedBy(s).Name(), ProjectRegistry.RoleName(ProjectLifecycle.DecidedBy(s)),
            ProjectLifecycle.Next(s) is { } next && PolicyEdition.Default.GateFor(s, next) is { } g
                ? new GateResponse(g.Id, g.Name, g.Layer.PackageName(), g.Basis, [.. g.WaiverRoles.Select(ProjectRegistry.RoleName)], [.. g.WaiverRoles.Select(r => r.Name())])
                : null)).ToList());
}
