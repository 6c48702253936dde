using System.Text.Json;
using System.Text.Json.Nodes;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Packages;
using Fuchun.Domain.Projects;
using Fuchun.Storage.Layers;
using Fuchun.Storage.Projects;

namespace Fuchun.Storage.Packages;

/// <summary>
/// Imports a project package into the registry (<c>project-package.md</c>): the project is created, or updated when
/// its id is already registered, with the package's facts, project area, zones, layers and stated facts, all in one
/// transaction. Anything wrong, and nothing of it is stored. A package does not move a project's stage: a new
/// project starts in the reserve, an existing one stays where it is.
/// </summary>
public sealed class PackageImporter(FuchunDbContext db, ProjectRegistry registry, ILayerStore layers)
{
    private static readonly LayerKind[] PackageLayers =
        [LayerKind.DevelopmentBoundary, LayerKind.EcoRedLine, LayerKind.IndustrialParks, LayerKind.PbfAdjustments, LayerKind.FacilityLand, LayerKind.Townships];

    /// <summary>
    /// Stores <paramref name="package"/>; its <c>parcels_after</c> goes to the layer of <paramref name="afterKind"/>
    /// (the planned layer, or the as-built one surveyed at acceptance).
    /// </summary>
    public async Task<ConsolidationProject> ImportAsync(ProjectPackage package, string actor, LayerKind afterKind = LayerKind.ParcelsAfter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(package);
        if (afterKind is not (LayerKind.ParcelsAfter or LayerKind.ParcelsAsBuilt))
        {
            throw new ArgumentOutOfRangeException(nameof(afterKind));
        }

        var problems = new List<ImportProblem>();
        // Townships: as project.json lists them, else the townships layer's codes, else the parcels' location codes.
        IReadOnlyList<string> townships = package.Townships.Count > 0
            ? [.. package.Townships.Select(t => t.Code).Distinct()]
            : [.. package.Before.Select(p => p.LocationCode).Where(c => c is { Length: >= 9 }).Select(c => c![..9]).Distinct().Order(StringComparer.Ordinal)];
        var details = PackageProjectJson.ToDetails(package.Project, townships, Path.Combine(package.Source, "project.json"), problems);
        if (details is null)
        {
            throw new LayerImportRejectedException(problems);
        }

        var geometry = new ProjectGeometry(package.ProjectArea, package.Zones);
        var stated = PackageProjectJson.StatedFacts(package.Project);
        var existing = await registry.FindAsync(details.Code, cancellationToken);
        if (afterKind == LayerKind.ParcelsAfter && existing is not null && ProjectLifecycle.PlanIsFixed(existing.Stage))
        {
            throw new DomainValidationException([new FieldError("stage", Domain.Resources.Messages.PlanIsFixed(details.Code))]);
        }

        return await db.InTransactionAsync(async () =>
        {
            var project = existing is null
                ? await registry.CreateAsync(details, actor, geometry, cancellationToken)
                : await registry.UpdateAsync(details.Code, details, actor, geometry, cancellationToken);
            registry.ReplaceStatedFacts(project, stated, actor);
            await layers.ReplaceLayerAsync(project.Id, LayerKind.ParcelsBefore, Name(LayerKind.ParcelsBefore), package.Before, [], cancellationToken);
            await layers.ReplaceLayerAsync(project.Id, afterKind, Name(afterKind), package.After, [], cancellationToken);
            foreach (var kind in PackageLayers)
            {
                IReadOnlyCollection<ReferenceFeature>? features = kind == LayerKind.Townships
                    ? package.Townships.Count == 0 ? null : [.. package.Townships.Select(t => new ReferenceFeature(t.Code, t.Name, t.Geometry, Spatial.Area.EllipsoidalArea.OfGeometry(t.Geometry)))]
                    : package.References.TryGetValue(kind, out var given) && given.Count > 0 ? [.. given] : null;
                // The project becomes what the package says: a layer the package does not have is removed.
                if (features is null)
                {
                    await layers.RemoveLayerAsync(project.Id, kind, cancellationToken);
                }
                else
                {
                    await layers.ReplaceLayerAsync(project.Id, kind, Name(kind), [], features, cancellationToken);
                }
            }

            registry.Record(project, ProjectChangeKind.PackageImported, actor, null, JsonSerializer.Serialize(new
            {
                source = Path.GetFileName(package.Source.TrimEnd('/', '\\')),
                parcelsBefore = package.Before.Count,
                parcelsAfter = package.After.Count,
                afterLayer = afterKind.PackageName(),
                layers = package.References.Where(r => r.Value.Count > 0).Select(r => r.Key.PackageName()).Order(StringComparer.Ordinal).ToList(),
                stated = stated is null ? null : JsonNode.Parse(stated),
            }, ProjectRegistry.ChangeJson), null);
            await db.SaveChangesAsync(cancellationToken);
            return project;
        }, cancellationToken);
    }

    /// <summary>The zh-CN name a layer gets in the registry.</summary>
    public static string Name(LayerKind kind) => Domain.Resources.Messages.Get("Layer" + kind);
}
