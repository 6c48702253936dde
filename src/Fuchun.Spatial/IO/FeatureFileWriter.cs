using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Writers;

namespace Fuchun.Spatial.IO;

/// <summary>
/// Writes polygon features in CGCS2000 longitude/latitude (EPSG:4490) as GeoJSON (<c>.geojson</c>), GeoPackage
/// (<c>.gpkg</c>, with its R-tree) or Shapefile (<c>.shp</c> with <c>.shx</c>, <c>.dbf</c>, <c>.prj</c> and a
/// <c>.cpg</c> naming the attribute encoding: UTF-8, or GBK for the desktop tools survey offices use).
/// </summary>
public static class FeatureFileWriter
{
    /// <summary>The ESRI WKT of EPSG:4490, as ArcGIS writes it into a <c>.prj</c>.</summary>
    public const string EsriCgcs2000 =
        """GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""";

    public static void Write(string path, string layerName, IReadOnlyList<IFeature> features, bool gbk = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(features);
        switch (Path.GetExtension(path).ToUpperInvariant())
        {
            case ".GEOJSON" or ".JSON":
                var collection = new FeatureCollection();
                foreach (var f in features)
                {
                    collection.Add(f);
                }

                using (var stream = File.Create(path))
                {
                    JsonSerializer.Serialize(stream, collection, GeoJsonGeometryReader.SerializerOptions);
                }

                break;
            case ".GPKG":
                WriteGeoPackage(path, layerName, features);
                break;
            case ".SHP":
                WriteShapefile(path, features, gbk ? GeometryFiles.Gb18030 : new UTF8Encoding(false), gbk ? "GBK" : "UTF-8");
                break;
            default:
                throw new SpatialInputException($"{path}: cannot write format \"{Path.GetExtension(path)}\" (GeoJSON, GeoPackage and Shapefile are written)");
        }
    }

    private enum FieldKind
    {
        Integer,
        Real,
        Text,
    }

    /// <summary>Attribute names in first-seen order with the narrowest type that holds every value.</summary>
    private static List<(string Name, FieldKind Kind)> Fields(IReadOnlyList<IFeature> features)
    {
        var fields = new List<(string Name, FieldKind Kind)>();
        foreach (var feature in features)
        {
            foreach (var name in feature.Attributes?.GetNames() ?? [])
            {
                var kind = feature.Attributes![name] switch
                {
                    null => (FieldKind?)null,
                    int or long or short or bool => FieldKind.Integer,
                    double or float or decimal => FieldKind.Real,
                    _ => FieldKind.Text,
                };
                var i = fields.FindIndex(f => f.Name == name);
                if (i < 0)
                {
                    fields.Add((name, kind ?? FieldKind.Integer));
                }
                else if (kind is { } k && k > fields[i].Kind)
                {
                    fields[i] = (name, k);
                }
            }
        }

        return fields;
    }

    private static void WriteShapefile(string path, IReadOnlyList<IFeature> features, Encoding encoding, string cpg)
    {
        var options = new ShapefileWriterOptions(ShapeType.Polygon) { Encoding = encoding, Projection = EsriCgcs2000 };
        var fields = Fields(features);
        foreach (var (name, kind) in fields)
        {
            if (encoding.GetByteCount(name) > 10)
            {
                throw new SpatialInputException($"{path}: field name \"{name}\" is longer than the 10 bytes a DBF allows in {cpg}{(cpg == "GBK" ? "" : " (in GBK it may fit: --gbk)")}");
            }

            switch (kind)
            {
                case FieldKind.Integer:
                    options.AddNumericInt64Field(name);
                    break;
                case FieldKind.Real:
                    options.AddNumericDoubleField(name);
                    break;
                default:
                    var length = features.Max(f => f.Attributes?[name] is { } v ? encoding.GetByteCount(Convert.ToString(v, CultureInfo.InvariantCulture)!) : 0);
                    options.AddCharacterField(name, Math.Clamp(length, 1, 254));
                    break;
            }
        }

        using (var writer = Shapefile.OpenWrite(path, options))
        {
            foreach (var feature in features)
            {
                writer.Geometry = feature.Geometry;
                foreach (var (name, kind) in fields)
                {
                    var value = feature.Attributes?.GetNames().Contains(name) == true ? feature.Attributes[name] : null;
                    writer.Fields[name].Value = value switch
                    {
                        null => null,
                        bool b => b ? 1L : 0L,
                        _ when kind == FieldKind.Integer => Convert.ToInt64(value, CultureInfo.InvariantCulture),
                        _ when kind == FieldKind.Real => Convert.ToDouble(value, CultureInfo.InvariantCulture),
                        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
                    };
                }

                writer.Write();
            }
        }

        File.WriteAllText(Path.ChangeExtension(path, ".cpg"), cpg);
    }

    private static void WriteGeoPackage(string path, string table, IReadOnlyList<IFeature> features)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        var fields = Fields(features);
        static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        GeoPackageBlob.RegisterFunctions(connection);
        void Execute(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        Execute($"PRAGMA application_id = {GeoPackageSchema.ApplicationId}; PRAGMA user_version = {GeoPackageSchema.UserVersion};");
        using var transaction = connection.BeginTransaction();
        Execute(GeoPackageSchema.CoreSql);
        var columns = string.Concat(fields.Select(f => $", {Quote(f.Name)} {(f.Kind == FieldKind.Integer ? "INTEGER" : f.Kind == FieldKind.Real ? "REAL" : "TEXT")}"));
        Execute($"CREATE TABLE {Quote(table)} (id INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON{columns})");
        Execute(GeoPackageSchema.RegisterSql(new GeoPackageTable(table, table, "geom")));
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = $"INSERT INTO {Quote(table)} (geom{string.Concat(fields.Select(f => ", " + Quote(f.Name)))}) VALUES ($geom{string.Concat(fields.Select((_, i) => $", $p{i}"))})";
            var geom = insert.Parameters.Add("$geom", SqliteType.Blob);
            var parameters = fields.Select((_, i) => insert.Parameters.Add($"$p{i}", SqliteType.Text)).ToList();
            foreach (var feature in features)
            {
                geom.Value = GeoPackageBlob.Write(feature.Geometry is Polygon p ? p.Factory.CreateMultiPolygon([p]) : feature.Geometry);
                for (var i = 0; i < fields.Count; i++)
                {
                    var name = fields[i].Name;
                    var value = feature.Attributes?.GetNames().Contains(name) == true ? feature.Attributes[name] : null;
                    parameters[i].Value = value switch { null => DBNull.Value, bool b => b ? 1 : 0, _ => value };
                }

                insert.ExecuteNonQuery();
            }
        }

        // The contents' extent is the layer's own (GDAL and QGIS use it to zoom to the layer).
        var env = new Envelope();
        foreach (var f in features)
        {
            env.ExpandToInclude(f.Geometry.EnvelopeInternal);
        }

        using (var update = connection.CreateCommand())
        {
            update.CommandText = "UPDATE gpkg_contents SET min_x = $a, max_x = $b, min_y = $c, max_y = $d WHERE table_name = $t";
            update.Parameters.AddWithValue("$a", env.MinX);
            update.Parameters.AddWithValue("$b", env.MaxX);
            update.Parameters.AddWithValue("$c", env.MinY);
            update.Parameters.AddWithValue("$d", env.MaxY);
            update.Parameters.AddWithValue("$t", table);
            update.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
