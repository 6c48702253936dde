using System.Text.Json;
using Fuchun.Domain.Governance;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Reference;
using Fuchun.Server.Security;
using Fuchun.Spatial.IO;
using Fuchun.Storage;
using Fuchun.Storage.Projects;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;

namespace Fuchun.Server.Endpoints;

/// <summary>The project registry over HTTP: <c>/api/projects</c>.</summary>
internal static class ProjectEndpoints
{
    /// <summary>Query parameters of the project list.</summary>
    internal sealed record ListParameters(
        string? District, ProjectStage? Stage, bool? Pilot, string? Q, ProjectSort? Sort, bool? Desc, int? Page, int? PageSize);

    public static void MapProjectEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/projects").WithTags("项目");
        group.MapGet("/", ListAsync).WithName("ListProjects").RequireAuthorization(Capability.ReadProjects.PolicyName()).WithSummary("项目列表（按区县、阶段、试点筛选，分页、排序）");
        group.MapPost("/", CreateAsync).WithName("CreateProject").RequireAuthorization(Capability.EditProjects.PolicyName()).WithSummary("新建项目（可同时上传项目区和整治区 GeoJSON）")
            .ProducesValidationProblem();
        group.MapGet("/{code}", GetAsync).WithName("GetProject").RequireAuthorization(Capability.ReadProjects.PolicyName()).WithSummary("项目详情").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{code}", UpdateAsync).WithName("UpdateProject").RequireAuthorization(Capability.EditProjects.PolicyName()).WithSummary("修改项目信息（可同时更换项目区和整治区）")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{code}/geometry", ReplaceGeometryAsync).WithName("ReplaceProjectGeometry").RequireAuthorization(Capability.EditProjects.PolicyName()).WithSummary("上传项目区和整治区（GeoJSON，CGCS2000 经纬度）")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{code}/stage", MoveStageAsync).WithName("MoveProjectStage").RequireAuthorization(Capability.MoveStages.PolicyName()).WithSummary("推进到下一阶段或退回上一阶段")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{code}/provincial-approval", ProvincialApprovalAsync).WithName("RecordProvincialApproval")
            .RequireAuthorization(p => p.RequireRole(Role.CityBureau.Name()))
            .WithSummary("登记省级批准（永久基本农田调整突破市定比例，第（十）条；须先上传省级批准文件；仅市局）")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{code}/history", HistoryAsync).WithName("GetProjectHistory").RequireAuthorization(Capability.ReadProjects.PolicyName()).WithSummary("项目变更记录").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{code}/map", MapAsync).WithName("GetProjectMap").RequireAuthorization(Capability.ReadProjects.PolicyName()).WithSummary("项目地图要素：所在区县、项目区、整治区（GeoJSON）")
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{code}/layers", LayersAsync).WithName("GetProjectLayers").RequireAuthorization(Capability.ReadProjects.PolicyName()).WithSummary("项目图层").ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Ok<PageResponse<ProjectSummary>>> ListAsync([AsParameters] ListParameters p, ProjectRegistry registry, HttpContext http, CancellationToken ct)
    {
        // A district user's list is their district's, whatever district they ask for.
        var own = DistrictIsolation.DistrictOf(http);
        if (own is not null && p.District is not null && p.District != own)
        {
            return TypedResults.Ok(new PageResponse<ProjectSummary>([], 0, p.Page ?? 1, p.PageSize ?? 20));
        }

        var result = await registry.ListAsync(new ProjectQuery
        {
            DistrictCode = own ?? p.District,
            TownshipCode = DistrictIsolation.TownshipOf(http),
            Stage = p.Stage,
            IsPilot = p.Pilot,
            Search = p.Q,
            Sort = p.Sort ?? ProjectSort.Code,
            Descending = p.Desc ?? false,
            Page = p.Page ?? 1,
            PageSize = p.PageSize ?? 20,
        }, ct);
        return TypedResults.Ok(new PageResponse<ProjectSummary>([.. result.Items.Select(Summary)], result.Total, result.Page, result.PageSize));
    }

    private static async Task<Created<ProjectResponse>> CreateAsync(ProjectRequest request, ProjectRegistry registry, HttpContext http, CancellationToken ct)
    {
        var geometry = request.ProjectArea is { ValueKind: not JsonValueKind.Null } area ? GeoJsonInput.Read(area, request.Zones) : null;
        DistrictIsolation.EnsureOwn(http, request.DistrictCode);
        var project = await registry.CreateAsync(request.ToDetails(), Actor.Of(http), geometry, ct);
        return TypedResults.Created($"/api/projects/{Uri.EscapeDataString(project.Code)}", Response(project));
    }

    private static async Task<Ok<ProjectResponse>> GetAsync(string code, ProjectRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(Response(await registry.GetAsync(code, ct)));

    private static async Task<Ok<ProjectResponse>> UpdateAsync(string code, ProjectRequest request, ProjectRegistry registry, HttpContext http, CancellationToken ct)
    {
        DistrictIsolation.EnsureOwn(http, request.DistrictCode);
        await registry.GetAsync(code, ct);
        var geometry = request.ProjectArea is { ValueKind: not JsonValueKind.Null } area ? GeoJsonInput.Read(area, request.Zones) : null;
        return TypedResults.Ok(Response(await registry.UpdateAsync(code, request.ToDetails(), Actor.Of(http), geometry, ct)));
    }

    private static async Task<Ok<ProjectResponse>> ReplaceGeometryAsync(string code, GeometryRequest request, ProjectRegistry registry, HttpContext http, CancellationToken ct)
    {
        await registry.GetAsync(code, ct);
        var geometry = GeoJsonInput.Read(request.ProjectArea, request.Zones);
        return TypedResults.Ok(Response(await registry.ReplaceGeometryAsync(code, geometry, Actor.Of(http), ct)));
    }

    private static async Task<Ok<ProjectResponse>> MoveStageAsync(string code, StageRequest request, ProjectRegistry registry, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(Response(await registry.MoveStageAsync(code, request.Target, request.Comment, Actor.Acting(http), request.Waiver, ct)));

    private static async Task<Ok<List<ChangeResponse>>> HistoryAsync(string code, ProjectRegistry registry, CancellationToken ct)
    {
        var changes = await registry.HistoryAsync(code, ct);
        static JsonElement? Json(string? text) => text is null ? null : JsonDocument.Parse(text).RootElement.Clone();
        return TypedResults.Ok(changes.Select(c => new ChangeResponse(c.Id, c.At, c.Actor, c.Kind, Json(c.Before), Json(c.After), c.Comment)).ToList());
    }

    private static async Task<IResult> MapAsync(string code, ProjectRegistry registry, FuchunDbContext db, CancellationToken ct)
    {
        var project = await registry.GetAsync(code, ct);
        var district = await db.Districts.AsNoTracking().FirstAsync(d => d.Code == project.DistrictCode, ct);
        var features = new FeatureCollection
        {
            new Feature(district.Boundary, new AttributesTable { { "role", "district" }, { "code", district.Code }, { "name", district.Name } }),
        };
        if (project.ProjectArea is { } area)
        {
            features.Add(new Feature(area, new AttributesTable { { "role", "project_area" }, { "name", project.Name }, { "area_m2", project.AreaM2 } }));
        }

        foreach (var zone in project.Zones)
        {
            features.Add(new Feature(zone.Geometry, new AttributesTable { { "role", "zone" }, { "zone_id", zone.ZoneCode }, { "name", zone.Name }, { "area_m2", zone.AreaM2 } }));
        }

        return Results.Text(JsonSerializer.Serialize(features, GeoJsonGeometryReader.SerializerOptions), "application/geo+json");
    }

    private static async Task<Ok<List<LayerResponse>>> LayersAsync(string code, ProjectRegistry registry, FuchunDbContext db, CancellationToken ct)
    {
        var project = await registry.GetAsync(code, ct);
        var layers = await db.Layers.AsNoTracking().Where(l => l.ProjectId == project.Id).ToListAsync(ct);
        // Kinds are stored by name; list them in the package's order (parcels first), not alphabetically.
        return TypedResults.Ok(layers.OrderBy(l => l.Kind).Select(LayerResponse.Of).ToList());
    }

    internal static ProjectSummary Summary(ConsolidationProject p) => new(
        p.Code, p.Name, p.DistrictCode, HangzhouReferenceData.FindDistrict(p.DistrictCode)?.Name ?? p.DistrictCode, p.IsPilot,
        p.Stage, ProjectRegistry.StageName(p.Stage), p.TownshipCodes.Count, p.Zones.Count, p.AreaM2, Units.Mu(p.AreaM2),
        p.ApprovedOn, p.UpdatedAt);

    private static async Task<IResult> ProvincialApprovalAsync(string code, ProvincialApprovalRequest request, ProjectRegistry registry, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(Response(await registry.RecordProvincialApprovalAsync(code, request.ApprovedOn, request.DocumentNumber ?? "", Actor.Acting(http), ct)));

    internal static ProjectResponse Response(ConsolidationProject p) => new(
        p.Code, p.Name, p.DistrictCode, HangzhouReferenceData.FindDistrict(p.DistrictCode)?.Name ?? p.DistrictCode,
        [.. p.TownshipCodes.Select(c => new TownshipRef(c, HangzhouReferenceData.Townships.FirstOrDefault(t => t.Code == c)?.Name ?? c))],
        p.IsPilot, p.Stage, ProjectRegistry.StageName(p.Stage), ProjectLifecycle.Next(p.Stage), ProjectLifecycle.Previous(p.Stage),
        p.ApprovedOn, p.PlannedStart, p.PlannedCompletion, p.InvestmentMode, p.FundingSources, p.PlannedInvestmentWanYuan,
        p.AreaM2, Units.Mu(p.AreaM2), Units.Hectares(p.AreaM2),
        [.. p.Zones.OrderBy(z => z.ZoneCode, StringComparer.Ordinal).Select(z => new ZoneSummary(z.ZoneCode, z.Name, z.AreaM2, Units.Mu(z.AreaM2)))],
        p.CreatedAt, p.UpdatedAt, ProvincialApproval(p.StatedFactsJson));

    private static ProvincialApprovalResponse? ProvincialApproval(string? statedFacts) =>
        statedFacts is not null && System.Text.Json.Nodes.JsonNode.Parse(statedFacts)?["provincial_approval"] is System.Text.Json.Nodes.JsonObject a
            ? new(a["approved_on"]?.GetValue<string>() ?? "", a["document_number"]?.GetValue<string>() ?? "", a["recorded_by"]?.GetValue<string>() ?? "")
            : null;
}

/// <summary>Who is acting, for the change record: the signed-in account (every endpoint but sign-in needs one).</summary>
internal static class Actor
{
    public static string Of(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : "web:anonymous";

    /// <summary>Who is acting, in which roles and for which district (their claims).</summary>
    public static Domain.Governance.Actor Acting(HttpContext http) => new(Of(http),
        http.User.Identity is { IsAuthenticated: true }
            ? http.User.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => Domain.Governance.Roles.FromName(c.Value)).OfType<Domain.Governance.Role>().ToHashSet()
            : [],
        DistrictIsolation.DistrictOf(http));
}
