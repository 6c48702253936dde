using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fuchun.Domain.Analysis;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Policy;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Resources;
using Fuchun.Spatial;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.Crs;
using Fuchun.Spatial.IO;
using Fuchun.Spatial.Validation;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Packages;

/// <summary>A township polygon carried by a package (<c>townships</c> layer).</summary>
public sealed record PackageTownship(string Code, string Name, MultiPolygon Geometry, bool Synthetic = false);

/// <summary>
/// A project package as read (<c>project-package.md</c>): <c>project.json</c> as given (unknown keys kept), the
/// project area, zones, both parcel layers checked as any import is, and the optional layers. Geometry in CGCS2000
/// longitude/latitude.
/// </summary>
public sealed record ProjectPackage(
    string Source,
    JsonObject Project,
    MultiPolygon ProjectArea,
    IReadOnlyList<ZoneInput> Zones,
    IReadOnlyList<Parcel> Before,
    IReadOnlyList<Parcel> After,
    IReadOnlyDictionary<LayerKind, IReadOnlyList<ReferenceFeature>> References,
    IReadOnlyList<PackageTownship> Townships)
{
    /// <summary>The project's id (<c>project.json</c> <c>id</c>).</summary>
    public string Id => Project["id"]?.GetValue<string>() ?? "";

    /// <summary>The union of a reference layer's polygons, or null when the package does not have the layer.</summary>
    public Geometry? Reference(LayerKind kind) =>
        References.TryGetValue(kind, out var features) && features.Count > 0
            ? NetTopologySuite.Operation.Union.UnaryUnionOp.Union(features.Select(f => (Geometry)f.Geometry).ToList())
            : null;

    /// <summary>
    /// What the policy checks read from this package: project.json's facts (a key left out is "not stated"; a key of
    /// the wrong type is a problem of the package) and the reference layers.
    /// </summary>
    public CheckInput ToCheckInput()
    {
        var problems = new List<ImportProblem>();
        var facts = ReadFacts(Project, Path.Combine(Source, "project.json"), problems);
        IReadOnlyList<PbfAdjustment>? adjustments = null;
        if (References.TryGetValue(LayerKind.PbfAdjustments, out var adjusted))
        {
            adjustments = [.. adjusted.Select((f, i) =>
            {
                var attributes = f.AttributesJson is { } json ? JsonNode.Parse(json) as JsonObject : null;
                DateOnly? on = null;
                if (attributes?["effective_on"] is JsonValue v && DateOnly.TryParseExact(v.ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    on = d;
                }

                if (f.Kind is not ("in" or "out"))
                {
                    problems.Add(new(Path.Combine(Source, "pbf_adjustments"), i + 1, Messages.PackageBadValue("direction", f.Kind ?? "null")));
                }

                return new PbfAdjustment(f.Name ?? (i + 1).ToString(CultureInfo.InvariantCulture), f.Kind ?? "", f.Geometry, f.AreaM2, on);
            })];
        }

        IReadOnlyList<PlannedLand>? planned = References.TryGetValue(LayerKind.FacilityLand, out var facility)
            ? [.. facility.Select(f => new PlannedLand(f.Kind ?? "", f.Geometry))]
            : null;
        if (problems.Count > 0)
        {
            throw new LayerImportRejectedException(problems);
        }

        return new(ToAnalysisInput(), facts, Reference(LayerKind.IndustrialParks), adjustments, planned,
            Townships.Count == 0 ? null : [.. Townships.Select(t => new TownshipArea(t.Code, t.Name, t.Geometry))]);
    }

    /// <summary>
    /// The facts the checks read from <c>project.json</c>: a key left out is "not stated" (null); a key of the wrong
    /// type is a problem naming it.
    /// </summary>
    public static ProjectFacts ReadFacts(JsonObject project, string source, List<ImportProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(problems);
        T? Value<T>(string key, Func<JsonNode, T> read)
        {
            if (project[key] is not { } node)
            {
                return default;
            }

            try
            {
                return read(node);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException or ArgumentException or NullReferenceException)
            {
                problems.Add(new(source, null, Messages.PackageBadValue(key, node.ToJsonString())));
                return default;
            }
        }

        static DateOnly Day(JsonNode n) => DateOnly.ParseExact(n.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new ProjectFacts(
            Value("pilot", n => (bool?)n.GetValue<bool>()),
            Value("approved_on", n => (DateOnly?)Day(n)),
            Value("planned_completion", n => (DateOnly?)Day(n)),
            Value("provincial_approval_for_pbf_adjustment", n => (bool?)n.GetValue<bool>()),
            Value<IReadOnlyList<EnterpriseRelocation>>("enterprise_relocations", n => [.. n.AsArray().Select(e => new EnterpriseRelocation(
                e!["name"]?.GetValue<string>() ?? "", e["demolished_area_m2"]!.GetValue<double>(), e["replacement_area_m2"]!.GetValue<double>()))]),
            Value<IReadOnlyList<Compensation>>("compensations", n => [.. n.AsArray().Select(e => new Compensation(
                e!["class"]!.GetValue<string>(), e["area_m2"]!.GetValue<double>()))]));
    }

    /// <summary>What the analysis reads from this package.</summary>
    public AnalysisInput ToAnalysisInput() => new(
        Id, ProjectArea, [.. Zones.Select(z => new AnalysisZone(z.ZoneCode, z.Name, z.Geometry))],
        ParcelSet.Of(Before), ParcelSet.Of(After),
        Reference(LayerKind.DevelopmentBoundary), Reference(LayerKind.EcoRedLine));
}

/// <summary>
/// Reads project packages in both forms: a folder of <c>project.json</c> and <c>&lt;layer&gt;.geojson</c> files, or
/// one GeoPackage with a feature table per layer and an attributes table <c>project</c>. All of it or nothing: every
/// problem found is reported at once (<see cref="LayerImportRejectedException"/>), naming file, feature and problem.
/// </summary>
public static class PackageReader
{
    private static readonly string[] RequiredLayers = ["project_area", "zones", "parcels_before", "parcels_after"];
    private static readonly string[] OptionalLayers = ["townships", "dev_boundary", "eco_redline", "industrial_parks", "pbf_adjustments", "facility_land"];

    public static ProjectPackage Read(string path, ParcelImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path) && Path.GetExtension(path).Equals(".zip", StringComparison.OrdinalIgnoreCase))
        {
            return ReadZip(path, options);
        }

        var problems = new List<ImportProblem>();
        Func<string, FeatureLayer?> layer;
        string? projectJson;
        if (Directory.Exists(path))
        {
            var jsonPath = Path.Combine(path, "project.json");
            projectJson = File.Exists(jsonPath) ? File.ReadAllText(jsonPath) : null;
            layer = name =>
            {
                var file = Path.Combine(path, name + ".geojson");
                return File.Exists(file) ? GeometryFiles.ReadFeatures(file) : null;
            };
        }
        else if (File.Exists(path) && Path.GetExtension(path).Equals(".gpkg", StringComparison.OrdinalIgnoreCase))
        {
            IReadOnlyList<string> tables;
            try
            {
                projectJson = GeoPackageTables.ReadText(path, "project", "json");
                tables = GeoPackageTables.FeatureTables(path);
            }
            catch (SpatialInputException ex)
            {
                throw new LayerImportRejectedException([new(path, null, ex.Message)]);
            }

            layer = name => tables.Contains(name) ? GeometryFiles.ReadFeatures(path, name) : null;
        }
        else
        {
            throw new LayerImportRejectedException([new(path, null, Messages.PackageNotFound())]);
        }

        var project = ReadProject(path, projectJson, problems);
        var layers = new Dictionary<string, FeatureLayer>(StringComparer.Ordinal);
        foreach (var name in RequiredLayers.Concat(OptionalLayers))
        {
            try
            {
                if (layer(name) is { } read)
                {
                    layers[name] = read;
                }
                else if (RequiredLayers.Contains(name))
                {
                    problems.Add(new(path, null, Messages.PackageMissingLayer(name)));
                }
            }
            catch (Exception ex) when (ex is SpatialInputException or UnknownCoordinateSystemException)
            {
                problems.Add(new(path, null, ex.Message));
            }
        }

        if (problems.Count > 0 && project is null)
        {
            throw new LayerImportRejectedException(problems);
        }

        var projectArea = layers.TryGetValue("project_area", out var area) ? Polygons(area, problems).Select(p => p.Geometry).ToList() : [];
        var zones = layers.TryGetValue("zones", out var zoneLayer)
            ? Polygons(zoneLayer, problems).Select(p => new ZoneInput(Text(p.Attributes, "zone_id") ?? p.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(p.Attributes, "name") ?? "", p.Geometry)).ToList()
            : [];
        var before = Parcels(layers, "parcels_before", options, problems);
        var after = Parcels(layers, "parcels_after", options, problems);

        var references = new Dictionary<LayerKind, IReadOnlyList<ReferenceFeature>>();
        foreach (var name in OptionalLayers.Where(n => n != "townships" && layers.ContainsKey(n)))
        {
            var kind = LayerKinds.FromPackageName(name)!.Value;
            var kindField = kind == LayerKind.PbfAdjustments ? "direction" : "kind";
            references[kind] = [.. Polygons(layers[name], problems).Select(p => new ReferenceFeature(
                Text(p.Attributes, kindField), Text(p.Attributes, "name"), p.Geometry, EllipsoidalArea.OfGeometry(p.Geometry), Json(p.Attributes)))];
        }

        var townships = layers.TryGetValue("townships", out var townshipLayer)
            ? Polygons(townshipLayer, problems).Select(p => new PackageTownship(Text(p.Attributes, "code") ?? "", Text(p.Attributes, "name") ?? "", p.Geometry)).ToList()
            : [];

        if (problems.Count > 0)
        {
            throw new LayerImportRejectedException(problems);
        }

        var union = NetTopologySuite.Operation.Union.UnaryUnionOp.Union(projectArea.Cast<Geometry>().ToList());
        var projectAreaGeometry = union as MultiPolygon ?? Cgcs2000.Factory.CreateMultiPolygon([(Polygon)union]);
        return new(path, project!, projectAreaGeometry, zones, before, after, references, townships);
    }

    /// <summary>
    /// A package uploaded as a zip archive: a folder with <c>project.json</c>, or one GeoPackage, extracted safely to a
    /// private folder and read; problems name the archive and the entry.
    /// </summary>
    private static ProjectPackage ReadZip(string path, ParcelImportOptions? options)
    {
        var folder = Directory.CreateTempSubdirectory("fuchun-package-");
        try
        {
            GeometryFiles.ExtractZip(path, folder.FullName);
            var jsons = Directory.EnumerateFiles(folder.FullName, "project.json", SearchOption.AllDirectories).ToList();
            var geoPackages = Directory.EnumerateFiles(folder.FullName, "*.gpkg", SearchOption.AllDirectories).ToList();
            var inner = jsons.Count == 1 ? Path.GetDirectoryName(jsons[0])!
                : jsons.Count == 0 && geoPackages.Count == 1 ? geoPackages[0]
                : throw new LayerImportRejectedException([new(path, null, Messages.PackageZipContents())]);
            try
            {
                return Read(inner, options) with { Source = path };
            }
            catch (LayerImportRejectedException ex)
            {
                throw new LayerImportRejectedException([.. ex.Problems.Select(p => p with { Source = p.Source.Replace(folder.FullName, path + "!", StringComparison.Ordinal) })]);
            }
        }
        catch (SpatialInputException ex)
        {
            throw new LayerImportRejectedException([new(path, null, ex.Message)]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static JsonObject? ReadProject(string path, string? json, List<ImportProblem> problems)
    {
        var source = Path.Combine(path, "project.json");
        if (json is null)
        {
            problems.Add(new(path, null, Messages.PackageMissingLayer("project.json")));
            return null;
        }

        try
        {
            if (JsonNode.Parse(json) is not JsonObject project)
            {
                problems.Add(new(source, null, Messages.PackageProjectJson("not an object")));
                return null;
            }

            if (project["id"] is not JsonValue id || id.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(id.GetValue<string>()))
            {
                problems.Add(new(source, null, Messages.PackageMissingKey("id")));
                return null;
            }

            return project;
        }
        catch (JsonException ex)
        {
            problems.Add(new(source, null, Messages.PackageProjectJson(ex.Message)));
            return null;
        }
    }

    private static List<Parcel> Parcels(Dictionary<string, FeatureLayer> layers, string name, ParcelImportOptions? options, List<ImportProblem> problems)
    {
        if (!layers.TryGetValue(name, out var layer))
        {
            return [];
        }

        var result = ParcelImport.Convert(layer, options);
        problems.AddRange(result.Problems);
        return [.. result.Parcels];
    }

    private sealed record PolygonFeature(int Number, MultiPolygon Geometry, IAttributesTable? Attributes);

    /// <summary>The polygons of a reference layer in CGCS2000 longitude/latitude; each bad one is a problem.</summary>
    private static List<PolygonFeature> Polygons(FeatureLayer layer, List<ImportProblem> problems)
    {
        if (layer.Crs.Datum is Datum.Xian1980 or Datum.Beijing1954)
        {
            problems.Add(new(layer.Source, null, Messages.ImportDatumNeedsTransform(layer.Crs.Name)));
            return [];
        }

        var projection = layer.Crs.IsGeographic ? null : layer.Crs.Projection();
        var result = new List<PolygonFeature>();
        for (var i = 0; i < layer.Features.Count; i++)
        {
            var feature = layer.Features[i];
            if (feature.Geometry is not (Polygon or MultiPolygon))
            {
                problems.Add(new(layer.Source, i + 1, Messages.ImportNotPolygon(feature.Geometry?.GeometryType ?? "null")));
                continue;
            }

            var geometry = projection is null
                ? Cgcs2000.Factory.CreateGeometry(feature.Geometry)
                : CoordinateMap.Apply(feature.Geometry, Cgcs2000.Factory, projection.Inverse);
            var multi = geometry as MultiPolygon ?? Cgcs2000.Factory.CreateMultiPolygon([(Polygon)geometry]);
            if (PolygonValidator.Validate(multi) is { } problem)
            {
                problems.Add(new(layer.Source, i + 1, ProjectValidator.Describe(problem)));
                continue;
            }

            result.Add(new(i + 1, multi, feature.Attributes));
        }

        if (layer.Features.Count == 0)
        {
            problems.Add(new(layer.Source, null, Messages.ImportEmpty()));
        }

        return result;
    }

    private static string? Text(IAttributesTable? attributes, string name) =>
        attributes is not null && attributes.Exists(name) && attributes[name] is { } value && value.ToString() is { Length: > 0 } text ? text.Trim() : null;

    private static string? Json(IAttributesTable? attributes)
    {
        if (attributes is null || attributes.Count == 0)
        {
            return null;
        }

        var json = new JsonObject();
        foreach (var name in attributes.GetNames())
        {
            json[name] = attributes[name] switch
            {
                null => null,
                string s => s,
                bool b => b,
                DateTime d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                var v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture),
            };
        }

        return json.ToJsonString();
    }
}
