using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fuchun.Domain.Demo;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Reference;
using Fuchun.Spatial.IO;
using NetTopologySuite.Features;

namespace Fuchun.Domain.Packages;

/// <summary>
/// Writes a project as a project package in folder form (<c>project-package.md</c>): <c>project.json</c> and one
/// GeoJSON file per layer, coordinates in longitude and latitude on CGCS2000 (EPSG:4490).
/// </summary>
public static class FolderPackageWriter
{
    private static readonly JsonSerializerOptions ProjectJson = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes <paramref name="project"/> into <paramref name="folder"/> (created if missing); returns the files written.</summary>
    public static IReadOnlyList<string> Write(DemoProject project, IReadOnlyList<Township> townships, string folder)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(townships);
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        void Layer(string name, FeatureCollection features)
        {
            var path = Path.Combine(folder, name + ".geojson");
            using (var stream = File.Create(path))
            {
                JsonSerializer.Serialize(stream, features, GeoJsonGeometryReader.SerializerOptions);
            }

            files.Add(path);
        }

        var d = project.Details;
        var json = new JsonObject
        {
            ["id"] = d.Code,
            ["name"] = d.Name,
            ["district"] = d.DistrictCode,
            ["pilot"] = d.IsPilot,
            ["approved_on"] = d.ApprovedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["planned_completion"] = d.PlannedCompletion?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            // Beyond the contract's keys (readers keep and ignore them): the registry's other facts.
            ["townships"] = new JsonArray([.. d.TownshipCodes.Select(c => (JsonNode)c)]),
            ["stage"] = project.Stage.ToString(),
            ["investment_mode"] = d.InvestmentMode.ToString(),
            ["funding_sources"] = new JsonArray([.. d.FundingSources.Select(f => (JsonNode)f.ToString())]),
            ["planned_investment_wan_yuan"] = d.PlannedInvestmentWanYuan,
        };
        // Keys whose value is not stated are left out: a reader then reports insufficient data, never a default.
        foreach (var key in json.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
        {
            json.Remove(key);
        }

        var projectFile = Path.Combine(folder, "project.json");
        File.WriteAllText(projectFile, json.ToJsonString(ProjectJson));
        files.Add(projectFile);

        Layer("project_area", [new Feature(project.ProjectArea, new AttributesTable { { "name", d.Name } })]);
        Layer("zones", Collection(project.Zones.Select(z => new Feature(z.Geometry, new AttributesTable { { "zone_id", z.ZoneCode }, { "name", z.Name } }))));
        foreach (var (kind, parcels) in project.ParcelLayers)
        {
            Layer(kind.PackageName(), Collection(parcels.Select(p => new Feature(p.Geometry, new AttributesTable
            {
                { "DLBM", p.LandClass },
                { "PBF", p.IsPbf ? 1 : 0 },
                { "HSF", p.IsHighStandard ? 1 : 0 },
                { "ZLDWDM", p.LocationCode },
                { "TBMJ", Math.Round(p.AreaM2, 2) },
            }))));
        }

        foreach (var (kind, features) in project.ReferenceLayers)
        {
            Layer(kind.PackageName(), Collection(features.Select(f =>
            {
                var attributes = new AttributesTable { { "name", f.Name } };
                if (f.Kind is not null)
                {
                    attributes.Add("kind", f.Kind);
                }

                return new Feature(f.Geometry, attributes);
            })));
        }

        // The demo's township shapes are synthetic; the flag says so to any reader.
        Layer("townships", Collection(townships.Where(t => d.TownshipCodes.Contains(t.Code) && t.Shape is not null)
            .Select(t => new Feature(t.Shape!, new AttributesTable { { "code", t.Code }, { "name", t.Name }, { "synthetic", t.ShapeIsSynthetic } }))));
        return files;
    }

    private static FeatureCollection Collection(IEnumerable<IFeature> features)
    {
        var collection = new FeatureCollection();
        foreach (var f in features)
        {
            collection.Add(f);
        }

        return collection;
    }
}
