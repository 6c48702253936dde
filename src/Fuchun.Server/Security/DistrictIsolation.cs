using System.Text.RegularExpressions;
using Fuchun.Domain.Resources;
using Fuchun.Storage;
using Microsoft.EntityFrameworkCore;

namespace Fuchun.Server.Security;

/// <summary>
/// District isolation for district and township accounts: one place, before any endpoint, so that every project
/// and plan route — present and future — and every tile obeys it. A project, layer or tile of another district answers 404,
/// as if it did not exist (its existence is not revealed); a township user's reach is narrowed further to the projects
/// that take in their township. The project list is narrowed the same way by its endpoint (<see cref="DistrictOf"/>,
/// <see cref="TownshipOf"/>). City-wide accounts, and requests without an account, are not narrowed here.
/// </summary>
internal static partial class DistrictIsolation
{
    [GeneratedRegex("^/api/projects/(?<code>[^/]+)(/|$)")]
    private static partial Regex ProjectRoute();

    [GeneratedRegex("^/tiles/(?<layer>[0-9]+)/")]
    private static partial Regex TileRoute();

    [GeneratedRegex("^/api/plans/(?<code>[^/]+)(/|$)")]
    private static partial Regex PlanRoute();

    /// <summary>The claim carrying a township user's 9-digit township.</summary>
    public const string TownshipClaim = "fuchun:township";

    /// <summary>The township an authenticated township user is confined to (the projects that take it in); null for everyone else.</summary>
    public static string? TownshipOf(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true ? http.User.FindFirst(TownshipClaim)?.Value : null;

    /// <summary>The district an authenticated district or township user is confined to; null for everyone else.</summary>
    public static string? DistrictOf(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true ? http.User.FindFirst(TokenAuthenticationHandler.DistrictClaim)?.Value : null;

    /// <summary>Refuses a district user's act on a project of another district (a field error on <c>districtCode</c>).</summary>
    public static void EnsureOwn(HttpContext http, string? districtCode)
    {
        if (DistrictOf(http) is { } own && districtCode != own)
        {
            throw new Domain.Projects.DomainValidationException([new Domain.Projects.FieldError("districtCode", Messages.OutsideOwnDistrict(own))]);
        }
    }

    public static async Task Enforce(HttpContext context, Func<Task> next)
    {
        if (DistrictOf(context) is not { } district)
        {
            await next();
            return;
        }

        var path = context.Request.Path.Value ?? "";
        var township = TownshipOf(context);
        var db = context.RequestServices.GetRequiredService<FuchunDbContext>();
        string? owner = null;
        var found = true;
        var outsideTownship = false;
        if (ProjectRoute().Match(path) is { Success: true } project && Uri.UnescapeDataString(project.Groups["code"].Value) is var code)
        {
            var row = await db.Projects.AsNoTracking().Where(p => p.Code == code).Select(p => new { p.DistrictCode, p.TownshipCodes }).FirstOrDefaultAsync(context.RequestAborted);
            owner = row?.DistrictCode;
            found = row is not null;
            outsideTownship = row is not null && township is not null && !row.TownshipCodes.Contains(township);
        }
        else if (PlanRoute().Match(path) is { Success: true } plan && Uri.UnescapeDataString(plan.Groups["code"].Value) is var planCode)
        {
            // The city's outline (no district) is every district's to see.
            var row = await db.Plans.AsNoTracking().Where(p => p.Code == planCode).Select(p => new { p.DistrictCode }).FirstOrDefaultAsync(context.RequestAborted);
            owner = row?.DistrictCode;
            found = row is not null;
        }
        else if (TileRoute().Match(path) is { Success: true } tile && int.TryParse(tile.Groups["layer"].Value, out var layerId))
        {
            var row = await db.Layers.AsNoTracking().Where(l => l.Id == layerId)
                .Join(db.Projects.AsNoTracking(), l => l.ProjectId, p => p.Id, (l, p) => new { p.DistrictCode, p.TownshipCodes }).FirstOrDefaultAsync(context.RequestAborted);
            owner = row?.DistrictCode;
            found = row is not null;
            outsideTownship = row is not null && township is not null && !row.TownshipCodes.Contains(township);
        }

        // Not found stays the endpoint's own answer; another district's is answered the same way.
        if (found && ((owner is not null && owner != district) || outsideTownship))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = Messages.NotFoundTitle(),
            }, options: null, contentType: "application/problem+json");
            return;
        }

        await next();
    }
}
