using System.Data.Common;
using System.Globalization;

namespace Fuchun.Spatial.IO;

/// <summary>
/// A layer's default style for QGIS inside a GeoPackage: QGIS keeps styles in a table <c>layer_styles</c> (its
/// own convention, which GDAL knows too) and applies the row marked <c>useAsDefault</c> when the layer is opened.
/// The table is listed in <c>gpkg_contents</c> as an attributes table, as QGIS itself lists it.
/// </summary>
public static class QgisLayerStyles
{
    private const string CreateSql = """
        CREATE TABLE IF NOT EXISTS layer_styles (
          id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256),
          f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN,
          description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
        INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description)
          VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles');
        """;

    /// <summary>
    /// Makes <paramref name="style"/> the default style of <paramref name="table"/>'s geometry column, replacing the
    /// style of that name the table had; within the caller's transaction, if any.
    /// </summary>
    public static void SetDefault(DbConnection connection, DbTransaction? transaction, string table, string geometryColumn, LayerStyle style)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(style);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = CreateSql + """
            DELETE FROM layer_styles WHERE f_table_name = $table AND f_geometry_column = $column AND styleName = $name;
            UPDATE layer_styles SET useAsDefault = 0 WHERE f_table_name = $table AND f_geometry_column = $column;
            INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, useAsDefault, description)
              VALUES ('', '', $table, $column, $name, $qml, 1, $description);
            """;
        Add(command, "$table", table);
        Add(command, "$column", geometryColumn);
        Add(command, "$name", style.Name);
        Add(command, "$qml", style.Qml);
        Add(command, "$description", style.Description);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// As <see cref="SetDefault"/>, but only when the table's default style is not already <paramref name="style"/>:
    /// a store opened again is not written to.
    /// </summary>
    public static void EnsureDefault(DbConnection connection, string table, string geometryColumn, LayerStyle style)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(style);
        if (IsDefault(connection, table, geometryColumn, style))
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        SetDefault(connection, transaction, table, geometryColumn, style);
        transaction.Commit();
    }

    private static bool IsDefault(DbConnection connection, string table, string geometryColumn, LayerStyle style)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'layer_styles'";
        if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            return false;
        }

        command.CommandText = """
            SELECT count(*) FROM layer_styles WHERE f_table_name = $table AND f_geometry_column = $column
              AND useAsDefault = 1 AND styleName = $name AND styleQML = $qml AND description = $description
            """;
        Add(command, "$table", table);
        Add(command, "$column", geometryColumn);
        Add(command, "$name", style.Name);
        Add(command, "$qml", style.Qml);
        Add(command, "$description", style.Description);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    private static void Add(DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
