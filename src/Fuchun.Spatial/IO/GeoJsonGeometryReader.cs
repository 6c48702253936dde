using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

using Fuchun.Spatial.Resources;

namespace Fuchun.Spatial.IO;

/// <summary>Thrown when a GeoJSON text cannot be read as areal geometry.</summary>
public sealed class GeoJsonFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads GeoJSON (a geometry, a Feature or a FeatureCollection) with coordinates in longitude and latitude on
/// CGCS2000 (RFC 7946 order). Used for geometry uploaded through the API and for project packages.
/// </summary>
public static class GeoJsonGeometryReader
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>The serializer options that read and write GeoJSON in EPSG:4490.</summary>
    public static JsonSerializerOptions SerializerOptions => Options;

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions { WriteIndented = false };
        options.Converters.Add(new GeoJsonConverterFactory(Cgcs2000.Factory));
        return options;
    }

    /// <summary>
    /// Reads every polygonal part of the text and returns them as one MultiPolygon (not unioned: callers
    /// validate the parts as given). Throws <see cref="GeoJsonFormatException"/> when the text is not GeoJSON
    /// or holds non-polygonal geometry.
    /// </summary>
    public static MultiPolygon ReadMultiPolygon(string geoJson)
    {
        var geometries = ReadGeometries(geoJson);
        var polygons = new List<Polygon>();
        foreach (var g in geometries)
        {
            switch (g)
            {
                case Polygon p:
                    polygons.Add(p);
                    break;
                case MultiPolygon mp:
                    polygons.AddRange(mp.Geometries.Cast<Polygon>());
                    break;
                default:
                    throw new GeoJsonFormatException(SpatialMessages.Get("GeoJsonNotPolygon", g.GeometryType));
            }
        }

        if (polygons.Count == 0)
        {
            throw new GeoJsonFormatException(SpatialMessages.Get("GeoJsonNoPolygon"));
        }

        return Cgcs2000.Factory.CreateMultiPolygon([.. polygons]);
    }

    /// <summary>Reads the geometries of a GeoJSON text: a geometry, a Feature, or each Feature of a FeatureCollection.</summary>
    public static IReadOnlyList<Geometry> ReadGeometries(string geoJson) => [.. ReadFeatures(geoJson).Select(f => f.Geometry)];

    /// <summary>Reads the features of a GeoJSON text (a bare geometry becomes a feature without attributes).</summary>
    public static IReadOnlyList<IFeature> ReadFeatures(string geoJson)
    {
        ArgumentNullException.ThrowIfNull(geoJson);
        string? type;
        try
        {
            using var doc = JsonDocument.Parse(geoJson);
            type = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("type", out var t)
                ? t.GetString()
                : null;
        }
        catch (JsonException ex)
        {
            throw new GeoJsonFormatException(SpatialMessages.Get("GeoJsonBadJson", ex.Message), ex);
        }

        try
        {
            return type switch
            {
                "FeatureCollection" => [.. (JsonSerializer.Deserialize<FeatureCollection>(geoJson, Options) ?? [])
                    .Select((f, i) => f.Geometry is null ? throw new GeoJsonFormatException(SpatialMessages.Get("GeoJsonFeatureNoGeometry", i + 1)) : f)],
                "Feature" => [JsonSerializer.Deserialize<IFeature>(geoJson, Options) is { Geometry: not null } feature
                    ? feature : throw new GeoJsonFormatException(SpatialMessages.Get("GeoJsonNoGeometry"))],
                "Polygon" or "MultiPolygon" or "Point" or "LineString" or "MultiPoint" or "MultiLineString"
                    or "GeometryCollection" => [new Feature(JsonSerializer.Deserialize<Geometry>(geoJson, Options)
                    ?? throw new GeoJsonFormatException(SpatialMessages.Get("GeoJsonEmpty")), new AttributesTable())],
                null => throw new GeoJsonFormatException(SpatialMessages.Get("GeoJsonNoType")),
                _ => throw new GeoJsonFormatException(SpatialMessages.Get("GeoJsonUnknownType", type)),
            };
        }
        catch (JsonException ex)
        {
            throw new GeoJsonFormatException(SpatialMessages.Get("GeoJsonMalformed", ex.Message), ex);
        }
        catch (ArgumentException ex)
        {
            // NTS raises this for rings that are not closed or have too few points.
            throw new GeoJsonFormatException(SpatialMessages.Get("GeoJsonMalformedGeometry", ex.Message), ex);
        }
    }
}
