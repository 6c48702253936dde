using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fuchun.Domain.LandClasses;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Resources;
using Fuchun.Spatial;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.Crs;
using Fuchun.Spatial.IO;
using Fuchun.Spatial.Validation;
using NetTopologySuite.Coverage;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Layers;

/// <summary>One thing wrong with an input layer: where (file, feature number from 1) and what, in zh-CN.</summary>
public sealed record ImportProblem(string Source, int? Feature, string Message)
{
    public override string ToString() =>
        Feature is { } n ? Messages.ImportFeature(Source, n, Message) : Messages.ImportFile(Source, Message);
}

/// <summary>The parcels read from a layer, or the problems that stop it being taken.</summary>
public sealed record ParcelImportResult(IReadOnlyList<Parcel> Parcels, IReadOnlyList<ImportProblem> Problems)
{
    public bool Accepted => Problems.Count == 0;
}

/// <summary>
/// Turns a layer of 三调 parcels (地类图斑) as delivered into the platform's parcels, checking everything first:
/// polygonal, valid geometry; the DLBM field present and every code in the 三调 classification; the parcels a
/// coverage (no overlaps, shared edges that match). Coordinates are taken to CGCS2000 longitude/latitude (Gauss–
/// Krüger inverse for projected data); Xi'an 1980 and Beijing 1954 data is refused, since their transformation to
/// CGCS2000 needs local parameters. PBF/HSF flags, ZLDWDM are read when present; other fields are kept as JSON.
/// </summary>
public static class ParcelImport
{
    private static readonly string[] LandClassFields = ["DLBM", "地类编码"];
    private static readonly string[] KnownFields = ["DLBM", "地类编码", "PBF", "HSF", "ZLDWDM"];

    public static ParcelImportResult Convert(FeatureLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var problems = new List<ImportProblem>();
        if (layer.Crs.Datum is Datum.Xian1980 or Datum.Beijing1954)
        {
            return new([], [new(layer.Source, null, Messages.ImportDatumNeedsTransform(layer.Crs.Name))]);
        }

        if (layer.Features.Count == 0)
        {
            return new([], [new(layer.Source, null, Messages.ImportEmpty())]);
        }

        var names = layer.Features[0].Attributes?.GetNames() ?? [];
        var dlbmField = names.FirstOrDefault(n => LandClassFields.Contains(n, StringComparer.OrdinalIgnoreCase));
        if (dlbmField is null)
        {
            return new([], [new(layer.Source, null, Messages.ImportMissingField("DLBM"))]);
        }

        string? Field(string name) => names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        var (pbfField, hsfField, locationField) = (Field("PBF"), Field("HSF"), Field("ZLDWDM"));
        var projection = layer.Crs.IsGeographic ? null : layer.Crs.Projection();
        var parcels = new List<Parcel>(layer.Features.Count);
        for (var i = 0; i < layer.Features.Count; i++)
        {
            var feature = layer.Features[i];
            var code = feature.Attributes?[dlbmField]?.ToString()?.Trim() ?? "";
            if (!LandClassCatalog.TryGet(code, out _))
            {
                problems.Add(new(layer.Source, i + 1, code.Length == 0 ? Messages.ImportMissingField(dlbmField) : Messages.ImportUnknownLandClass(code)));
            }

            if (feature.Geometry is not (Polygon or MultiPolygon))
            {
                problems.Add(new(layer.Source, i + 1, Messages.ImportNotPolygon(feature.Geometry?.GeometryType ?? "null")));
                continue;
            }

            var geometry = ToCgcs2000(feature.Geometry, projection);
            if (PolygonValidator.Validate(geometry) is { } problem)
            {
                problems.Add(new(layer.Source, i + 1, ProjectValidator.Describe(problem)));
                continue;
            }

            parcels.Add(new Parcel(
                code, Flag(feature, pbfField), Flag(feature, hsfField), locationField is null ? null : feature.Attributes![locationField]?.ToString(),
                geometry, EllipsoidalArea.OfGeometry(geometry), OtherAttributes(feature.Attributes!)));
        }

        if (problems.Count == 0)
        {
            problems.AddRange(CoverageProblems(layer.Source, parcels));
        }

        return problems.Count == 0 ? new(parcels, []) : new([], problems);
    }

    private static IEnumerable<ImportProblem> CoverageProblems(string source, List<Parcel> parcels)
    {
        var polygons = parcels.Select(p => (Geometry)p.Geometry).ToArray();

        var invalid = CoverageValidator.Validate(polygons, 0);
        for (var i = 0; i < invalid.Length; i++)
        {
            if (invalid[i] is { IsEmpty: false } edges)
            {
                var c = edges.Coordinate;
                yield return new(source, i + 1, Messages.ImportCoverageBroken(Messages.At(c.X, c.Y)));
            }
        }
    }

    private static MultiPolygon ToCgcs2000(Geometry geometry, GaussKruger? projection)
    {
        var copy = projection is null
            ? Cgcs2000.Factory.CreateGeometry(geometry)
            : CoordinateMap.Apply(geometry, Cgcs2000.Factory, projection.Inverse);
        return copy as MultiPolygon ?? Cgcs2000.Factory.CreateMultiPolygon([(Polygon)copy]);
    }

    private static bool Flag(IFeature feature, string? field)
    {
        var value = field is null ? null : feature.Attributes?[field];
        return value switch
        {
            null => false,
            bool b => b,
            string s => s.Trim() is "1" or "是" or "Y" or "y" or "true" or "TRUE",
            _ => System.Convert.ToDouble(value, CultureInfo.InvariantCulture) != 0,
        };
    }

    private static string? OtherAttributes(IAttributesTable attributes)
    {
        var json = new JsonObject();
        foreach (var name in attributes.GetNames().Where(n => !KnownFields.Contains(n, StringComparer.OrdinalIgnoreCase)))
        {
            json[name] = attributes[name] switch
            {
                null => null,
                string s => s.Trim(),
                DateTime d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                var v => JsonValue.Create(System.Convert.ToDouble(v, CultureInfo.InvariantCulture)),
            };
        }

        return json.Count == 0 ? null : json.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
