using Microsoft.Data.Sqlite;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using Fuchun.Spatial.Crs;

namespace Fuchun.Spatial.IO;

/// <summary>
/// Writes a new OGC GeoPackage with any number of polygon feature tables (each with its R-tree and its own
/// extent) and attribute tables, in one transaction: <see cref="Commit"/> keeps it; disposing without it leaves
/// no file behind. Feature coordinates are taken to be in the coordinate system given for their table.
/// </summary>
public sealed class GeoPackageWriter : IDisposable
{
    private readonly string path;
    private readonly SqliteConnection connection;
    private readonly SqliteTransaction? transaction;
    private readonly HashSet<int> systems = [Cgcs2000.Srid, 4326];
    private bool committed;

    private GeoPackageWriter(string path)
    {
        this.path = path;
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        GeoPackageBlob.RegisterFunctions(connection);
        Execute($"PRAGMA application_id = {GeoPackageSchema.ApplicationId}; PRAGMA user_version = {GeoPackageSchema.UserVersion};");
        transaction = connection.BeginTransaction();
        Execute(GeoPackageSchema.CoreSql);
    }

    /// <summary>Starts a GeoPackage at <paramref name="path"/>, replacing any file there.</summary>
    public static GeoPackageWriter Create(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        return new GeoPackageWriter(path);
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Adds a feature table <paramref name="table"/> (geometry column <c>geom</c>) holding these features.</summary>
    public void AddFeatures(string table, IEnumerable<IFeature> features, IReadOnlyList<FeatureField> fields, CoordinateSystem crs)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(crs);
        if (systems.Add(crs.Epsg))
        {
            using var srs = Command("INSERT INTO gpkg_spatial_ref_sys VALUES ($name, $id, 'EPSG', $id, $wkt, $name)");
            srs.Parameters.AddWithValue("$name", crs.Name);
            srs.Parameters.AddWithValue("$id", crs.Epsg);
            srs.Parameters.AddWithValue("$wkt", crs.ToWkt());
            srs.ExecuteNonQuery();
        }

        // The table's own columns (its key and geometry) are not attributes, and SQLite names ignore case: a field
        // read back from a GeoPackage's key, or a second spelling of a name, is not written twice.
        var seen = new HashSet<string>(["id", "geom"], StringComparer.OrdinalIgnoreCase);
        fields = [.. fields.Where(f => seen.Add(f.Name))];
        var columns = string.Concat(fields.Select(f => $", {Quote(f.Name)} {(f.Kind == FieldKind.Whole ? "INTEGER" : f.Kind == FieldKind.Real ? "REAL" : "TEXT")}"));
        Execute($"CREATE TABLE {Quote(table)} (id INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON{columns})");
        Execute(GeoPackageSchema.RegisterSql(new GeoPackageTable(table, table, "geom"), crs.Epsg));
        // The contents' extent is the layer's own (GDAL and QGIS use it to zoom to the layer).
        var env = new Envelope();
        using (var insert = Command($"INSERT INTO {Quote(table)} (geom{string.Concat(fields.Select(f => ", " + Quote(f.Name)))}) VALUES ($geom{string.Concat(fields.Select((_, i) => $", $p{i}"))})"))
        {
            var geom = insert.Parameters.Add("$geom", SqliteType.Blob);
            var parameters = fields.Select((_, i) => insert.Parameters.Add($"$p{i}", SqliteType.Text)).ToList();
            foreach (var feature in features)
            {
                var geometry = feature.Geometry is Polygon p ? p.Factory.CreateMultiPolygon([p]) : feature.Geometry;
                geom.Value = GeoPackageBlob.Write(geometry);
                env.ExpandToInclude(geometry.EnvelopeInternal);
                for (var i = 0; i < fields.Count; i++)
                {
                    var value = feature.Attributes is { } a && a.Exists(fields[i].Name) ? a[fields[i].Name] : null;
                    parameters[i].Value = value switch { null => DBNull.Value, bool b => b ? 1 : 0, _ => value };
                }

                insert.ExecuteNonQuery();
            }
        }

        if (!env.IsNull)
        {
            using var update = Command("UPDATE gpkg_contents SET min_x = $a, max_x = $b, min_y = $c, max_y = $d WHERE table_name = $t");
            update.Parameters.AddWithValue("$a", env.MinX);
            update.Parameters.AddWithValue("$b", env.MaxX);
            update.Parameters.AddWithValue("$c", env.MinY);
            update.Parameters.AddWithValue("$d", env.MaxY);
            update.Parameters.AddWithValue("$t", table);
            update.ExecuteNonQuery();
        }
    }

    /// <summary>Adds an attributes table <paramref name="table"/> with one text column holding one row.</summary>
    public void AddText(string table, string column, string text)
    {
        Execute($"CREATE TABLE {Quote(table)} (id INTEGER PRIMARY KEY AUTOINCREMENT, {Quote(column)} TEXT NOT NULL)");
        Execute(GeoPackageSchema.RegisterSql(new GeoPackageTable(table, table)));
        using var insert = Command($"INSERT INTO {Quote(table)} ({Quote(column)}) VALUES ($text)");
        insert.Parameters.AddWithValue("$text", text);
        insert.ExecuteNonQuery();
    }

    /// <summary>Makes <paramref name="style"/> the style QGIS opens feature table <paramref name="table"/> with.</summary>
    public void AddStyle(string table, LayerStyle style)
    {
        ArgumentNullException.ThrowIfNull(style);
        QgisLayerStyles.SetDefault(connection, transaction, table, "geom", style);
    }

    /// <summary>Keeps what was written.</summary>
    public void Commit()
    {
        transaction!.Commit();
        committed = true;
    }

    public void Dispose()
    {
        transaction?.Dispose();
        connection.Dispose();
        if (!committed && File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }
}
