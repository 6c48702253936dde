using System.Text.Json;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Resources;
using Fuchun.Spatial.IO;
using Fuchun.Storage.Projects;

namespace Fuchun.Server.Endpoints;

/// <summary>Reads a project area and zones sent as GeoJSON, naming the field of any unreadable part.</summary>
internal static class GeoJsonInput
{
    public static ProjectGeometry Read(JsonElement projectArea, JsonElement? zones)
    {
        var errors = new List<FieldError>();
        NetTopologySuite.Geometries.MultiPolygon? area = null;
        try
        {
            area = GeoJsonGeometryReader.ReadMultiPolygon(projectArea.GetRawText());
        }
        catch (GeoJsonFormatException ex)
        {
            errors.Add(new("projectArea", Messages.GeoJsonUnreadable(ex.Message)));
        }

        var zoneInputs = new List<ZoneInput>();
        if (zones is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } z)
        {
            if (z.ValueKind != JsonValueKind.Object || !z.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new("zones", Messages.GeoJsonUnreadable("zones must be a GeoJSON FeatureCollection")));
            }
            else
            {
                var i = 0;
                foreach (var feature in features.EnumerateArray())
                {
                    ReadZone(feature, i++, zoneInputs, errors);
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        return new ProjectGeometry(area!, zoneInputs);
    }

    private static void ReadZone(JsonElement feature, int index, List<ZoneInput> zones, List<FieldError> errors)
    {
        var props = feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        string Text(string name) => props.ValueKind == JsonValueKind.Object && props.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.ToString()
            : "";
        try
        {
            var geometry = GeoJsonGeometryReader.ReadMultiPolygon(feature.GetRawText());
            var id = Text("zone_id");
            zones.Add(new ZoneInput(id, Text("name") is { Length: > 0 } n ? n : id, geometry));
        }
        catch (GeoJsonFormatException ex)
        {
            errors.Add(new($"zones[{index}].geometry", Messages.GeoJsonUnreadable(ex.Message)));
        }
    }
}
