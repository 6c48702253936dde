using System.Collections.Concurrent;
using Fuchun.Domain.Analysis;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Packages;
using Fuchun.Domain.Policy;
using Fuchun.Storage.Projects;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace Fuchun.Storage.Analysis;

/// <summary>The parcel layers an analysis read (their ids, for the map's tiles).</summary>
public sealed record AnalyzedLayers(int Before, int After);

/// <summary>A project's analysis, or why it cannot be run.</summary>
public sealed record ProjectAnalysisOutcome(AnalysisResult? Result, AnalyzedLayers? Layers, LayerKind? MissingLayer);

/// <summary>
/// Runs the analysis (分析研判) of a stored project: its area and zones, the before and after parcel layers, the
/// development boundary and red line. Layers are never changed in place (a new layer gets a new id), so what was
/// read and found is kept for as long as the project and the layers it read are the same.
/// </summary>
public sealed class ProjectAnalyzer(FuchunDbContext db)
{
    private sealed class Entry(string version, AnalysisInput input, AnalyzedLayers layers)
    {
        private readonly Lazy<AnalysisResult> result = new(() => ProjectAnalysis.Run(input));

        public string Version { get; } = version;

        public AnalysisInput Input { get; } = input;

        public AnalyzedLayers Layers { get; } = layers;

        public AnalysisResult Result => result.Value;
    }

    private static readonly ConcurrentDictionary<string, Entry> Cache = new(StringComparer.Ordinal);

    public async Task<ProjectAnalysisOutcome> AnalyzeAsync(string code, CancellationToken cancellationToken = default)
    {
        var (entry, missing) = await LoadAsync(code, cancellationToken);
        return entry is null
            ? new(null, null, missing)
            : new(await Task.Run(() => entry.Result, cancellationToken), entry.Layers, null);
    }

    /// <summary>The land-use account of the before and after layers inside <paramref name="polygon"/>.</summary>
    public async Task<(LandUseAccount? Account, LayerKind? MissingLayer)> AccountAsync(string code, Geometry polygon, CancellationToken cancellationToken = default)
    {
        var (entry, missing) = await LoadAsync(code, cancellationToken);
        return entry is null
            ? (null, missing)
            : (await Task.Run(() => ProjectAnalysis.AccountFor(entry.Input, polygon), cancellationToken), null);
    }

    /// <summary>One set of blocks (<c>pbf_before</c>, …) with their outlines, as the analysis finds them.</summary>
    public async Task<(IReadOnlyList<BlockSummary>? Blocks, LayerKind? MissingLayer)> BlocksAsync(string code, string set, CancellationToken cancellationToken = default)
    {
        var (entry, missing) = await LoadAsync(code, cancellationToken);
        return entry is null
            ? (null, missing)
            : (await Task.Run(() => ProjectAnalysis.BlockSet(entry.Input, set, ContiguityOptions.Default, withGeometry: true), cancellationToken), null);
    }

    /// <summary>
    /// Every policy rule on the stored project, on its before layer and the after layer of <paramref name="afterKind"/>
    /// (planned, or as built). Facts come from the registry and from what the project's package stated (a provincial
    /// approval, enterprise relocations, compensations); a fact never stated is "not stated", and the rules that need
    /// it say insufficient_data. Townships are the project's own township layer when its package brought one, else
    /// the city's.
    /// </summary>
    public async Task<(IReadOnlyList<RuleResult>? Results, LayerKind? MissingLayer)> CheckAsync(string code, PolicyEdition edition, LayerKind afterKind = LayerKind.ParcelsAfter, CancellationToken cancellationToken = default)
    {
        var (entry, missing) = await LoadAsync(code, cancellationToken, afterKind);
        if (entry is null)
        {
            return (null, missing);
        }

        var project = await db.Projects.AsNoTracking().Include(p => p.Zones).FirstAsync(p => p.Code == code, cancellationToken);
        var references = await db.Layers.AsNoTracking().Where(l => l.ProjectId == project.Id && (l.Kind == LayerKind.IndustrialParks || l.Kind == LayerKind.PbfAdjustments || l.Kind == LayerKind.FacilityLand || l.Kind == LayerKind.Townships))
            .Select(l => new { l.Id, l.Kind }).ToListAsync(cancellationToken);
        async Task<List<ReferenceFeature>?> FeaturesAsync(LayerKind kind) => references.FirstOrDefault(l => l.Kind == kind) is { } layer
            ? await db.ReferenceFeatures.AsNoTracking().Where(f => f.LayerId == layer.Id).OrderBy(f => f.Id).ToListAsync(cancellationToken)
            : null;

        var parks = await FeaturesAsync(LayerKind.IndustrialParks);
        var adjustments = await FeaturesAsync(LayerKind.PbfAdjustments);
        var facility = await FeaturesAsync(LayerKind.FacilityLand);
        var ownTownships = await FeaturesAsync(LayerKind.Townships);
        var codes = project.TownshipCodes;
        IReadOnlyList<TownshipArea> townships = ownTownships is not null
            ? [.. ownTownships.Select(f => new TownshipArea(f.Kind ?? "", f.Name ?? "", f.Geometry))]
            : [.. (await db.Townships.AsNoTracking().Where(t => codes.Contains(t.Code) && t.Shape != null).ToListAsync(cancellationToken))
                .Select(t => new TownshipArea(t.Code, t.Name, t.Shape!))];
        // The same reading of project.json as for a package: the registry's fields and the stated facts.
        var problems = new List<ImportProblem>();
        var facts = ProjectPackage.ReadFacts(PackageProjectJson.Build(project.Details, project.Stage, project.StatedFactsJson), code, problems);
        var input = new CheckInput(
            entry.Input,
            facts,
            parks is null ? null : UnaryUnionOp.Union(parks.Select(f => (Geometry)f.Geometry).ToList()),
            adjustments?.Select(f => new PbfAdjustment(f.Name ?? f.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), f.Kind ?? "", f.Geometry, f.AreaM2, EffectiveOn(f.AttributesJson))).ToList(),
            facility?.Select(f => new PlannedLand(f.Kind ?? "", f.Geometry)).ToList(),
            townships.Count == 0 ? null : townships);
        return (await Task.Run(() => PolicyChecker.Check(input, edition), cancellationToken), null);
    }

    private static DateOnly? EffectiveOn(string? attributesJson) =>
        attributesJson is not null && System.Text.Json.Nodes.JsonNode.Parse(attributesJson)?["effective_on"] is System.Text.Json.Nodes.JsonValue v
        && DateOnly.TryParseExact(v.ToString(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d)
            ? d
            : null;

    private async Task<(Entry? Entry, LayerKind? Missing)> LoadAsync(string code, CancellationToken cancellationToken, LayerKind afterKind = LayerKind.ParcelsAfter)
    {
        var project = await db.Projects.AsNoTracking().Where(p => p.Code == code)
            .Select(p => new { p.Id, p.Code, p.ProjectArea, p.UpdatedAt })
            .FirstOrDefaultAsync(cancellationToken) ?? throw new ProjectNotFoundException(code);
        var layers = await db.Layers.AsNoTracking().Where(l => l.ProjectId == project.Id).ToListAsync(cancellationToken);
        var before = layers.FirstOrDefault(l => l.Kind == LayerKind.ParcelsBefore);
        var after = layers.FirstOrDefault(l => l.Kind == afterKind);
        if (before is null || after is null || project.ProjectArea is null)
        {
            return (null, before is null ? LayerKind.ParcelsBefore : afterKind);
        }

        var dev = layers.FirstOrDefault(l => l.Kind == LayerKind.DevelopmentBoundary);
        var red = layers.FirstOrDefault(l => l.Kind == LayerKind.EcoRedLine);
        var version = $"{db.Database.GetConnectionString()}/{project.UpdatedAt.UtcTicks}/{before.Id}/{after.Id}/{dev?.Id}/{red?.Id}";
        var key = $"{db.Database.GetConnectionString()}/{code}/{afterKind}";
        if (Cache.TryGetValue(key, out var cached) && cached.Version == version)
        {
            return (cached, null);
        }

        var zones = await db.Zones.AsNoTracking().Where(z => z.ProjectId == project.Id).OrderBy(z => z.ZoneCode).ToListAsync(cancellationToken);
        var input = new AnalysisInput(
            project.Code, project.ProjectArea,
            [.. zones.Select(z => new AnalysisZone(z.ZoneCode, z.Name, z.Geometry))],
            await ParcelsAsync(before.Id, cancellationToken),
            await ParcelsAsync(after.Id, cancellationToken),
            await UnionAsync(dev?.Id, cancellationToken),
            await UnionAsync(red?.Id, cancellationToken));
        var entry = new Entry(version, input, new AnalyzedLayers(before.Id, after.Id));
        Cache[key] = entry;
        return (entry, null);
    }

    private async Task<ParcelSet> ParcelsAsync(int layerId, CancellationToken cancellationToken) =>
        ParcelSet.Of(await db.Parcels.AsNoTracking().Where(p => p.LayerId == layerId).OrderBy(p => p.Id).ToListAsync(cancellationToken));

    private async Task<Geometry?> UnionAsync(int? layerId, CancellationToken cancellationToken)
    {
        if (layerId is null)
        {
            return null;
        }

        var geometries = await db.ReferenceFeatures.AsNoTracking().Where(f => f.LayerId == layerId).Select(f => f.Geometry).ToListAsync(cancellationToken);
        return geometries.Count == 0 ? null : UnaryUnionOp.Union(geometries.Cast<Geometry>().ToList());
    }
}
