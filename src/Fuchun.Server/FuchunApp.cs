using System.Text.Json.Serialization;
using Fuchun.Server.Endpoints;
using Fuchun.Server.Security;
using Fuchun.Storage;
using Fuchun.Domain.Governance;
using Fuchun.Storage.Seeding;
using Microsoft.Extensions.FileProviders;

namespace Fuchun.Server;

/// <summary>
/// Builds the Fuchun web host: the REST API under <c>/api</c> with its OpenAPI document, the web UI, and the
/// storage chosen by configuration (<c>Fuchun:Database</c> or <c>--database</c>; the embedded GeoPackage by
/// default). On first start with an empty database it migrates and seeds the demo city.
/// </summary>
public static class FuchunApp
{
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
        {
            ["--database"] = "Fuchun:Database",
            ["--demo"] = "Fuchun:Demo",
        });
        configure?.Invoke(builder);

        var settings = DatabaseSettings.Parse(builder.Configuration["Fuchun:Database"]) with { DocumentsRoot = builder.Configuration["Fuchun:Documents"] };
        builder.Services.AddFuchunStorage(settings, Fuchun.Storage.Layers.TileOptions.FromSetting(builder.Configuration["Fuchun:Tiles:OverviewMinParcels"]));
        builder.Services.AddProblemDetails();
        builder.AddFuchunSecurity();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        // Let binding failures (malformed JSON, unknown enum values) reach the handler, which names the bad field.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "富春 · 杭州市跨乡镇土地综合整治监管平台 API";
            doc.Info.Version = "v1";
            return Task.CompletedTask;
        }));
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o => o.MultipartBodyLengthLimit = 64 * 1024 * 1024);
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = 64 * 1024 * 1024);

        var app = builder.Build();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FuchunDbContext>();
            app.Logger.LogInformation("Database: {Database}", settings.Describe());
            await StorageServices.MigrateAsync(db, cancellationToken);
            var withProjects = !string.Equals(builder.Configuration["Fuchun:Demo"], "false", StringComparison.OrdinalIgnoreCase);
            var started = TimeProvider.System.GetTimestamp();
            if (await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(withProjects, cancellationToken: cancellationToken))
            {
                app.Logger.LogInformation("Seeded the demo city{Projects} in {Seconds:0.0} s",
                    withProjects ? " with its projects" : "", TimeProvider.System.GetElapsedTime(started).TotalSeconds);
                if (withProjects)
                {
                    // Generated now and shown once: the demo has no fixed credential.
                    foreach (var c in await scope.ServiceProvider.GetRequiredService<DemoAccounts>().CreateAsync(cancellationToken))
                    {
                        app.Logger.LogWarning("Demo account {User} ({Name}, {Roles}{District}): password {Password} (change it at first sign-in), API token {Token} (30 days); shown only now",
                            c.UserName, c.DisplayName, string.Join(",", c.Roles.Select(r => r.Name())), c.DistrictCode is null ? "" : " " + c.DistrictCode, c.Password, c.Token);
                    }
                }
            }
        }

        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(SecurityHeaders);
        app.UseHsts();

        // The bundled UI sits beside the binary (WebUi.targets copies it there); Fuchun:WebUi points elsewhere. Its
        // scripts and styles are public (they hold no data); its pages are endpoints that need a signed-in account.
        var webUiPath = builder.Configuration["Fuchun:WebUi"] is { Length: > 0 } configured ? configured : Path.Combine(AppContext.BaseDirectory, "webui");
        Directory.CreateDirectory(webUiPath);
        var webUi = new PhysicalFileProvider(Path.GetFullPath(webUiPath));
        app.UseStaticFiles(new StaticFileOptions { FileProvider = webUi, ContentTypeProvider = ScriptsAndStyles() });
        app.UseRouting();
        app.UseAuthentication();
        app.Use(TokenAuthenticationHandler.RefuseBadTokens);
        app.UseRateLimiter();
        app.Use(AuditContext);
        app.UseAuthorization();
        app.Use(WebSecurity.RefuseForgedRequests);
        app.Use(WebSecurity.RequirePasswordChange);
        app.Use(DistrictIsolation.Enforce);

        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "Fuchun API v1");
            o.RoutePrefix = "api/docs";
            o.DocumentTitle = "富春 API";
        });
        app.MapSessionEndpoints();
        app.MapAccountEndpoints();
        app.MapReferenceEndpoints();
        app.MapProjectEndpoints();
        app.MapLayerEndpoints();
        app.MapAnalysisEndpoints();
        app.MapPolicyEndpoints();
        app.MapPackageEndpoints();
        app.MapPlanEndpoints();
        app.MapDocumentEndpoints();
        app.MapAuditEndpoints();
        app.MapTileEndpoints();
        app.MapPageEndpoints(webUi);
        return app;
    }

    /// <summary>Who and where an API request comes from, for the audit trail.</summary>
    private static Task AuditContext(HttpContext context, Func<Task> next)
    {
        // Tiles record nothing: only API requests need the context (tiles are the hot path).
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            var db = context.RequestServices.GetRequiredService<FuchunDbContext>();
            db.AuditActor = Endpoints.Actor.Of(context);
            db.AuditRole = context.User.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } roles
                ? string.Join(",", roles)
                : null;
            db.AuditSource = "web " + (context.Connection.RemoteIpAddress?.ToString() ?? "?");
        }

        return next();
    }

    /// <summary>Only the UI's own kinds of file are served statically: its pages are served by endpoints, behind sign-in.</summary>
    private static Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider ScriptsAndStyles()
    {
        var provider = new Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider();
        foreach (var extension in provider.Mappings.Keys.Where(e => e is not (".js" or ".css" or ".map" or ".png" or ".svg" or ".ico" or ".woff2")).ToList())
        {
            provider.Mappings.Remove(extension);
        }

        return provider;
    }

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.XFrameOptions = "DENY";
        if (!context.Request.Path.StartsWithSegments("/api/docs"))
        {
            headers.ContentSecurityPolicy =
                "default-src 'self'; img-src 'self' data: blob: https://*.tianditu.gov.cn; style-src 'self' 'unsafe-inline'; " +
                "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";
        }

        return next();
    }
}
