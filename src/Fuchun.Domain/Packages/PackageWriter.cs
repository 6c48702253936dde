using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fuchun.Domain.LandClasses;
using Fuchun.Domain.Layers;
using Fuchun.Spatial.Crs;
using Fuchun.Spatial.IO;
using NetTopologySuite.Features;

namespace Fuchun.Domain.Packages;

/// <summary>
/// Writes a project package in either form of <c>project-package.md</c>: to a path ending in <c>.gpkg</c>, one
/// GeoPackage (a feature table per layer, <c>project.json</c>'s content in the attributes table <c>project</c>);
/// to any other path, a folder of <c>project.json</c> and <c>&lt;layer&gt;.geojson</c> files. Coordinates are
/// CGCS2000 longitude/latitude (EPSG:4490). Optional layers without features are left out.
/// </summary>
public static class PackageWriter
{
    private static readonly JsonSerializerOptions ProjectJson = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>True when <paramref name="path"/> names the GeoPackage form.</summary>
    public static bool IsGeoPackage(string path) => Path.GetExtension(path).Equals(".gpkg", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes <paramref name="package"/> to <paramref name="path"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(ProjectPackage package, string path)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(path);
        var layers = Layers(package);
        var json = package.Project.ToJsonString(ProjectJson);
        if (IsGeoPackage(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using var writer = GeoPackageWriter.Create(path);
            foreach (var (name, features) in layers)
            {
                writer.AddFeatures(name, features, FeatureFileWriter.Fields(features), CoordinateSystems.Cgcs2000);
                if (LayerKinds.ParcelKindFromPackageName(name) is not null)
                {
                    writer.AddStyle(name, LandClassStyle.For(ParcelFeatures.LandClassField));
                }
            }

            writer.AddText("project", "json", json);
            writer.Commit();
            return [path];
        }

        Directory.CreateDirectory(path);
        var projectFile = Path.Combine(path, "project.json");
        File.WriteAllText(projectFile, json);
        var files = new List<string> { projectFile };
        foreach (var (name, features) in layers)
        {
            var file = Path.Combine(path, name + ".geojson");
            FeatureFileWriter.Write(file, name, features);
            files.Add(file);
        }

        return files;
    }

    private static List<(string Name, IReadOnlyList<IFeature> Features)> Layers(ProjectPackage p)
    {
        var layers = new List<(string, IReadOnlyList<IFeature>)>
        {
            ("project_area", [new Feature(p.ProjectArea, new AttributesTable { { "name", p.Project["name"]?.ToString() } })]),
            ("zones", [.. p.Zones.Select(z => new Feature(z.Geometry, new AttributesTable { { "zone_id", z.ZoneCode }, { "name", z.Name } }))]),
            ("parcels_before", [.. p.Before.Select(ParcelFeatures.ToFeature)]),
            ("parcels_after", [.. p.After.Select(ParcelFeatures.ToFeature)]),
        };
        if (p.Townships.Count > 0)
        {
            layers.Add(("townships", [.. p.Townships.Select(t =>
            {
                var attributes = new AttributesTable { { "code", t.Code }, { "name", t.Name } };
                if (t.Synthetic)
                {
                    // The demo's township shapes are synthetic; the flag says so to any reader.
                    attributes.Add("synthetic", true);
                }

                return (IFeature)new Feature(t.Geometry, attributes);
            })]));
        }

        foreach (var (kind, features) in p.References.Where(r => r.Value.Count > 0).OrderBy(r => r.Key))
        {
            layers.Add((kind.PackageName(), [.. features.Select(f => ParcelFeatures.ToFeature(kind, f))]));
        }

        return layers;
    }
}

/// <summary>Features of stored parcels and reference polygons, with the package's field names.</summary>
public static class ParcelFeatures
{
    /// <summary>The field a parcel feature holds its land class code in.</summary>
    public const string LandClassField = "DLBM";

    /// <summary>
    /// A parcel as a feature: DLBM, PBF, HSF (0/1), ZLDWDM, TBMJ (the ellipsoidal area in m², 2 decimals) and every
    /// other attribute kept from its import.
    /// </summary>
    public static IFeature ToFeature(Parcel parcel)
    {
        ArgumentNullException.ThrowIfNull(parcel);
        var attributes = new AttributesTable
        {
            { LandClassField, parcel.LandClass },
            { "PBF", parcel.IsPbf ? 1 : 0 },
            { "HSF", parcel.IsHighStandard ? 1 : 0 },
            { "ZLDWDM", parcel.LocationCode },
            { "TBMJ", Math.Round(parcel.AreaM2, 2) },
        };
        AddKept(attributes, parcel.AttributesJson);
        return new Feature(parcel.Geometry, attributes);
    }

    /// <summary>
    /// A reference polygon as a feature of layer <paramref name="kind"/>: <c>name</c>, its kind under the layer's
    /// field name (<c>direction</c> for PBF adjustments, <c>kind</c> otherwise) and every attribute kept.
    /// </summary>
    public static IFeature ToFeature(LayerKind kind, ReferenceFeature feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        var attributes = new AttributesTable();
        if (feature.Name is not null)
        {
            attributes.Add("name", feature.Name);
        }

        if (feature.Kind is not null)
        {
            attributes.Add(kind == LayerKind.PbfAdjustments ? "direction" : "kind", feature.Kind);
        }

        AddKept(attributes, feature.AttributesJson);
        return new Feature(feature.Geometry, attributes);
    }

    private static void AddKept(AttributesTable attributes, string? json)
    {
        if (json is null || JsonNode.Parse(json) is not JsonObject kept)
        {
            return;
        }

        foreach (var (name, value) in kept.Where(kv => !attributes.Exists(kv.Key)))
        {
            attributes.Add(name, value switch
            {
                null => null,
                JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
                JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
                _ => value.ToString(),
            });
        }
    }
}
