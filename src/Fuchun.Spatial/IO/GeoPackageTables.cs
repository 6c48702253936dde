using Fuchun.Spatial.Resources;
using Microsoft.Data.Sqlite;

namespace Fuchun.Spatial.IO;

/// <summary>What a GeoPackage holds besides its features: the names of its feature tables, and attribute tables.</summary>
public static class GeoPackageTables
{
    /// <summary>The names of the feature tables listed in <c>gpkg_contents</c>.</summary>
    public static IReadOnlyList<string> FeatureTables(string path)
    {
        try
        {
            using var connection = GeometryFiles.OpenReadOnly(path);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name";
            using var reader = command.ExecuteReader();
            var names = new List<string>();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }

            return names;
        }
        catch (SqliteException ex)
        {
            throw new SpatialInputException(SpatialMessages.Get("GeoPackageUnreadable", path, ex.Message));
        }
    }

    /// <summary>
    /// The text in <paramref name="column"/> of the first row of the attributes table <paramref name="table"/>
    /// (as listed in <c>gpkg_contents</c>); null when there is no such table or row.
    /// </summary>
    public static string? ReadText(string path, string table, string column)
    {
        try
        {
            using var connection = GeometryFiles.OpenReadOnly(path);
            using (var listed = connection.CreateCommand())
            {
                listed.CommandText = "SELECT count(*) FROM gpkg_contents WHERE table_name = $t AND data_type = 'attributes'";
                listed.Parameters.AddWithValue("$t", table);
                if (Convert.ToInt64(listed.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
                {
                    return null;
                }
            }

            // The names are the caller's constants, checked against gpkg_contents above; quoted as identifiers.
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT \"{column.Replace("\"", "\"\"", StringComparison.Ordinal)}\" FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\" LIMIT 1";
            return command.ExecuteScalar() as string;
        }
        catch (SqliteException ex)
        {
            throw new SpatialInputException(SpatialMessages.Get("GeoPackageUnreadable", path, ex.Message));
        }
    }
}
