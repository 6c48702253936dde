using Fuchun.Domain.Governance;
using Fuchun.Domain.Planning;
using Fuchun.Domain.Reference;
using Fuchun.Server.Security;
using Fuchun.Storage.Planning;

namespace Fuchun.Server.Endpoints;

/// <summary>A plan as the API takes it, to create or change it.</summary>
public sealed record PlanRequest(
    string Code, PlanLevel Level, string Name, string? DistrictCode, string? ParentCode, int StartYear, int EndYear, IReadOnlyList<string>? ProjectCodes);

/// <summary>Why a plan is returned.</summary>
public sealed record PlanReturnRequest(string Reason);

/// <summary>A plan, its place in the hierarchy and its approval.</summary>
public sealed record PlanResponse(
    string Code, PlanLevel Level, string LevelName, string Name, string? DistrictCode, string? DistrictName, string? ParentCode,
    int StartYear, int EndYear, IReadOnlyList<string> ProjectCodes, PlanStatus Status, string StatusName, string ApprovingBody,
    string Author, string Approver, string? ApprovedBy, DateTimeOffset? ApprovedAt, string? ReturnReason, DateTimeOffset UpdatedAt);

/// <summary>
/// The plan system of paragraph (七) over HTTP (<c>/api/plans</c>): a district sees its own plans and the city's
/// outline; authors write and submit, approving bodies approve or return with a reason.
/// </summary>
internal static class PlanEndpoints
{
    public static void MapPlanEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/plans").WithTags("整治规划体系");
        group.MapGet("/", ListAsync).WithName("ListPlans").RequireAuthorization(Capability.ReadProjects.PolicyName())
            .WithSummary("整治规划与计划：市级纲要、区县规划、片区规划、年度实施计划（区县账号只见本区县及市级纲要）");
        group.MapGet("/{code}", GetAsync).WithName("GetPlan").RequireAuthorization(Capability.ReadProjects.PolicyName())
            .WithSummary("规划详情").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", CreateAsync).WithName("CreatePlan").RequireAuthorization(Capability.EditPlans.PolicyName())
            .WithSummary("编制规划（市局编纲要，区县编本级规划、片区规划和年度计划）").ProducesValidationProblem();
        group.MapPut("/{code}", UpdateAsync).WithName("UpdatePlan").RequireAuthorization(Capability.EditPlans.PolicyName())
            .WithSummary("修改编制中或已退回的规划").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{code}/submit", SubmitAsync).WithName("SubmitPlan").RequireAuthorization(Capability.EditPlans.PolicyName())
            .WithSummary("报批").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{code}/approve", ApproveAsync).WithName("ApprovePlan").RequireAuthorization(Capability.ApprovePlans.PolicyName())
            .WithSummary("批准（纲要和区县规划由市局登记市政府批准；片区规划和年度计划由领导小组审定）")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{code}/return", ReturnAsync).WithName("ReturnPlan").RequireAuthorization(Capability.ApprovePlans.PolicyName())
            .WithSummary("退回修改（须说明理由）").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    internal static PlanResponse Response(Plan p) => new(
        p.Code, p.Level, PlanService.LevelName(p.Level), p.Name, p.DistrictCode,
        p.DistrictCode is null ? null : HangzhouReferenceData.FindDistrict(p.DistrictCode)?.Name, p.ParentCode, p.StartYear, p.EndYear,
        p.ProjectCodes, p.Status, PlanService.StatusName(p.Status), PlanService.ApprovingBody(p.Level),
        PlanRules.Author(p.Level).Name(), PlanRules.Approver(p.Level).Name(), p.ApprovedBy, p.ApprovedAt, p.ReturnReason, p.UpdatedAt);

    private static PlanDraft Draft(PlanRequest r) => new(r.Code ?? "", r.Level, r.Name ?? "", r.DistrictCode, r.ParentCode, r.StartYear, r.EndYear, r.ProjectCodes ?? []);

    private static async Task<IResult> ListAsync(PlanService plans, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok((await plans.ListAsync(DistrictIsolation.DistrictOf(http), ct)).Select(Response).ToList());

    private static async Task<IResult> GetAsync(string code, PlanService plans, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(Response(await plans.GetAsync(code, DistrictIsolation.DistrictOf(http), ct)));

    private static async Task<IResult> CreateAsync(PlanRequest request, PlanService plans, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(Response(await plans.CreateAsync(Draft(request), Actor.Acting(http), ct)));

    // Another district's plan answers 404 before anything else, as its projects do.
    private static async Task<IResult> UpdateAsync(string code, PlanRequest request, PlanService plans, HttpContext http, CancellationToken ct)
    {
        await plans.GetAsync(code, DistrictIsolation.DistrictOf(http), ct);
        return TypedResults.Ok(Response(await plans.UpdateAsync(code, Draft(request), Actor.Acting(http), ct)));
    }

    private static async Task<IResult> SubmitAsync(string code, PlanService plans, HttpContext http, CancellationToken ct)
    {
        await plans.GetAsync(code, DistrictIsolation.DistrictOf(http), ct);
        return TypedResults.Ok(Response(await plans.SubmitAsync(code, Actor.Acting(http), ct)));
    }

    private static async Task<IResult> ApproveAsync(string code, PlanService plans, HttpContext http, CancellationToken ct)
    {
        await plans.GetAsync(code, DistrictIsolation.DistrictOf(http), ct);
        return TypedResults.Ok(Response(await plans.ApproveAsync(code, Actor.Acting(http), ct)));
    }

    private static async Task<IResult> ReturnAsync(string code, PlanReturnRequest request, PlanService plans, HttpContext http, CancellationToken ct)
    {
        await plans.GetAsync(code, DistrictIsolation.DistrictOf(http), ct);
        return TypedResults.Ok(Response(await plans.ReturnAsync(code, request.Reason ?? "", Actor.Acting(http), ct)));
    }
}
