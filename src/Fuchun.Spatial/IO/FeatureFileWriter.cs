using System.Globalization;
using System.Text;
using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Esri.Dbf.Fields;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Writers;
using Fuchun.Spatial.Crs;
using Fuchun.Spatial.Resources;

namespace Fuchun.Spatial.IO;

/// <summary>
/// Writes polygon features in CGCS2000 longitude/latitude (EPSG:4490) as GeoJSON (<c>.geojson</c>), GeoPackage
/// (<c>.gpkg</c>, with its R-tree) or Shapefile (<c>.shp</c> with <c>.shx</c>, <c>.dbf</c>, <c>.prj</c> and a
/// <c>.cpg</c> naming the attribute encoding: UTF-8, or GBK for the desktop tools survey offices use). A
/// <see cref="LayerStyle"/> given goes where QGIS looks for a layer's default style: the GeoPackage's
/// <c>layer_styles</c> table, or a <c>.qml</c> beside the Shapefile (GeoJSON has no place for one).
/// </summary>
public static class FeatureFileWriter
{
    /// <summary>The ESRI WKT of EPSG:4490, as ArcGIS writes it into a <c>.prj</c>.</summary>
    public const string EsriCgcs2000 =
        """GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""";

    public static void Write(string path, string layerName, IReadOnlyList<IFeature> features, bool gbk = false, LayerStyle? style = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        Write(path, layerName, features, Fields(features, gbk ? GeometryFiles.Gb18030 : new UTF8Encoding(false)), CoordinateSystems.Cgcs2000, gbk, style);
    }

    /// <summary>
    /// Writes features as they come (one pass, nothing held), with the attribute schema given up front, in the
    /// coordinate system <paramref name="crs"/> (the coordinates are taken to be in it already).
    /// </summary>
    public static void Write(string path, string layerName, IEnumerable<IFeature> features, IReadOnlyList<FeatureField> fields, CoordinateSystem crs, bool gbk = false, LayerStyle? style = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(crs);
        switch (Path.GetExtension(path).ToUpperInvariant())
        {
            case ".GEOJSON" or ".JSON":
                WriteGeoJson(path, features, crs);
                break;
            case ".GPKG":
                WriteGeoPackage(path, layerName, features, fields, crs, style);
                break;
            case ".SHP":
                WriteShapefile(path, features, fields, crs, gbk ? GeometryFiles.Gb18030 : new UTF8Encoding(false), gbk ? "GBK" : "UTF-8");
                if (style is not null)
                {
                    File.WriteAllText(Path.ChangeExtension(path, ".qml"), style.Qml, new UTF8Encoding(false));
                }

                break;
            default:
                throw new SpatialInputException(SpatialMessages.Get("WriteFormat", path, Path.GetExtension(path)));
        }
    }

    private static void WriteGeoJson(string path, IEnumerable<IFeature> features, CoordinateSystem crs)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        if (crs.Epsg != Cgcs2000.Srid && crs.Epsg != 4326)
        {
            // RFC 7946 GeoJSON is WGS 84 longitude/latitude; projected survey coordinates carry the 2008 "crs" member,
            // which GDAL and QGIS read and write.
            writer.WriteStartObject("crs");
            writer.WriteString("type", "name");
            writer.WriteStartObject("properties");
            writer.WriteString("name", $"urn:ogc:def:crs:EPSG::{crs.Epsg}");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteStartArray("features");
        foreach (var feature in features)
        {
            JsonSerializer.Serialize(writer, feature, GeoJsonGeometryReader.SerializerOptions);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>
    /// Attribute names in first-seen order with the narrowest type that holds every value (text lengths counted in
    /// <paramref name="encoding"/>, UTF-8 when not given).
    /// </summary>
    public static List<FeatureField> Fields(IReadOnlyList<IFeature> features, Encoding? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        encoding ??= new UTF8Encoding(false);
        var fields = new List<FeatureField>();
        foreach (var feature in features)
        {
            foreach (var name in feature.Attributes?.GetNames() ?? [])
            {
                var value = feature.Attributes![name];
                var kind = value switch
                {
                    null => (FieldKind?)null,
                    int or long or short or bool => FieldKind.Whole,
                    double or float or decimal => FieldKind.Real,
                    _ => FieldKind.Text,
                };
                var length = value is null || kind == FieldKind.Real ? 0 : encoding.GetByteCount(Convert.ToString(value, CultureInfo.InvariantCulture)!);
                var i = fields.FindIndex(f => f.Name == name);
                if (i < 0)
                {
                    fields.Add(new(name, kind ?? FieldKind.Whole, length));
                }
                else
                {
                    fields[i] = fields[i] with
                    {
                        Kind = kind is { } k && k > fields[i].Kind ? k : fields[i].Kind,
                        Length = Math.Max(fields[i].Length, length),
                    };
                }
            }
        }

        return fields;
    }

    private static object? Value(IFeature feature, string name) =>
        feature.Attributes is { } a && a.Exists(name) ? a[name] : null;

    private static void WriteShapefile(string path, IEnumerable<IFeature> features, IReadOnlyList<FeatureField> fields, CoordinateSystem crs, Encoding encoding, string cpg)
    {
        var projection = crs.Epsg == Cgcs2000.Srid ? EsriCgcs2000 : crs.ToWkt();
        var options = new ShapefileWriterOptions(ShapeType.Polygon) { Encoding = encoding, Projection = projection };
        foreach (var (name, kind, length) in fields)
        {
            if (encoding.GetByteCount(name) > 10)
            {
                throw new SpatialInputException(SpatialMessages.Get("FieldNameTooLong", path, name, cpg, cpg == "GBK" ? "" : SpatialMessages.Get("FieldNameTryGbk")));
            }

            switch (kind)
            {
                case FieldKind.Whole when length is > 0 and < 10:
                    options.AddNumericInt32Field(name);
                    break;
                case FieldKind.Whole:
                    options.AddNumericInt64Field(name);
                    break;
                case FieldKind.Real when length > 0:
                    options.Fields.Add(new DbfNumericDoubleField(name, 19, length));
                    break;
                case FieldKind.Real:
                    options.AddNumericDoubleField(name);
                    break;
                default:
                    options.AddCharacterField(name, Math.Clamp(length, 1, 254));
                    break;
            }
        }

        using (var writer = Shapefile.OpenWrite(path, options))
        {
            foreach (var feature in features)
            {
                writer.Geometry = feature.Geometry;
                foreach (var (name, kind, _) in fields)
                {
                    var value = Value(feature, name);
                    writer.Fields[name].Value = value switch
                    {
                        null => null,
                        bool b => b ? 1L : 0L,
                        _ when kind == FieldKind.Whole => Convert.ToInt64(value, CultureInfo.InvariantCulture),
                        _ when kind == FieldKind.Real => Convert.ToDouble(value, CultureInfo.InvariantCulture),
                        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
                    };
                }

                writer.Write();
            }
        }

        File.WriteAllText(Path.ChangeExtension(path, ".cpg"), cpg);
    }

    private static void WriteGeoPackage(string path, string table, IEnumerable<IFeature> features, IReadOnlyList<FeatureField> fields, CoordinateSystem crs, LayerStyle? style)
    {
        using var writer = GeoPackageWriter.Create(path);
        writer.AddFeatures(table, features, fields, crs);
        if (style is not null)
        {
            writer.AddStyle(table, style);
        }

        writer.Commit();
    }
}

/// <summary>A layer's default style for QGIS: its name, the QML document and a line describing it.</summary>
public sealed record LayerStyle(string Name, string Qml, string Description);

/// <summary>The type of an attribute column.</summary>
/// <remarks><c>Whole</c> is a 64-bit integer column.</remarks>
public enum FieldKind
{
    Whole,
    Real,
    Text,
}

/// <summary>
/// An attribute column of a written layer. <paramref name="Length"/> is the width in bytes of a text column, and
/// for a whole-number column the digits it needs when under 10 (a DBF then stores it as a 32-bit integer), for a
/// real column its decimals in a DBF (as survey areas keep 2; 0 leaves the DBF's widest).
/// </summary>
public sealed record FeatureField(string Name, FieldKind Kind, int Length = 0);
