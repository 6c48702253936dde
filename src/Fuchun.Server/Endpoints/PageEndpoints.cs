using Microsoft.Extensions.FileProviders;

namespace Fuchun.Server.Endpoints;

/// <summary>The web UI's pages (all but sign-in need a signed-in account): the project list, the project form (new and edit), a project's pages, the audit viewer.</summary>
internal static class PageEndpoints
{
    public static void MapPageEndpoints(this IEndpointRouteBuilder app, IFileProvider webUi)
    {
        app.MapGet("/signin", () => Page(webUi, "signin.html")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/audit", () => Page(webUi, "audit.html")).ExcludeFromDescription();
        app.MapGet("/plans", () => Page(webUi, "plans.html")).ExcludeFromDescription();
        app.MapGet("/", () => Page(webUi, "index.html")).ExcludeFromDescription();
        app.MapGet("/projects/new", () => Page(webUi, "new.html")).ExcludeFromDescription();
        app.MapGet("/projects/{code}", (string code) => Page(webUi, "project.html")).ExcludeFromDescription();
        app.MapGet("/projects/{code}/edit", (string code) => Page(webUi, "new.html")).ExcludeFromDescription();
        app.MapGet("/projects/{code}/analysis", (string code) => Page(webUi, "analysis.html")).ExcludeFromDescription();
        app.MapGet("/projects/{code}/check", (string code) => Page(webUi, "check.html")).ExcludeFromDescription();
    }

    private static IResult Page(IFileProvider webUi, string name)
    {
        var file = webUi.GetFileInfo(name);
        return file.Exists && file.PhysicalPath is { } path
            ? Results.File(path, "text/html; charset=utf-8")
            : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "web UI not built: run dotnet build (needs Node.js and npm)");
    }
}
