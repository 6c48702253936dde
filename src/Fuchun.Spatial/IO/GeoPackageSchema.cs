using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Fuchun.Spatial.IO;

/// <summary>A table of the GeoPackage: a feature table (with its geometry column) or an attribute table.</summary>
public sealed record GeoPackageTable(string Name, string Description, string? GeometryColumn = null, string GeometryType = "MULTIPOLYGON");

/// <summary>
/// The OGC GeoPackage 1.4 metadata that makes the embedded database a valid GeoPackage: the spatial reference
/// systems, the contents table, the geometry columns and an R-tree index (with its triggers) per feature table.
/// The embedded store's migrations and the GeoPackage export use it.
/// </summary>
public static partial class GeoPackageSchema
{
    /// <summary>'GPKG' as the SQLite application id.</summary>
    public const int ApplicationId = 0x47504B47;

    /// <summary>GeoPackage version 1.4.0 as the SQLite user_version.</summary>
    public const int UserVersion = 10400;

    /// <summary>The core tables and the CGCS2000 and WGS 84 spatial reference systems.</summary>
    public static string CoreSql { get; } = $"""
        CREATE TABLE gpkg_spatial_ref_sys (
          srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
          organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
        INSERT INTO gpkg_spatial_ref_sys VALUES
          ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
          ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
          ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid'),
          ('China Geodetic Coordinate System 2000', {Cgcs2000.Srid}, 'EPSG', {Cgcs2000.Srid}, '{Cgcs2000.Wkt}', 'CGCS2000 longitude/latitude in decimal degrees');
        CREATE TABLE gpkg_contents (
          table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
          last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
          CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
        CREATE TABLE gpkg_geometry_columns (
          table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
          z TINYINT NOT NULL, m TINYINT NOT NULL,
          CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
          CONSTRAINT uk_gc_table_name UNIQUE (table_name),
          CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
          CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
        CREATE TABLE gpkg_extensions (
          table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL,
          CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
        """;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainIdentifier();

    /// <summary>SQL registering <paramref name="table"/> in the GeoPackage, with an R-tree for a feature table.</summary>
    public static string RegisterSql(GeoPackageTable table, int srs = Cgcs2000.Srid)
    {
        ArgumentNullException.ThrowIfNull(table);
        // The names go into DDL (identifiers cannot be parameters): only plain identifiers are accepted, so no name
        // can carry SQL of its own.
        foreach (var name in new[] { table.Name, table.GeometryColumn ?? "geom", table.GeometryType })
        {
            if (!PlainIdentifier().IsMatch(name))
            {
                throw new ArgumentException($"not a plain SQL identifier: {name}", nameof(table));
            }
        }

        if (table.Description.Contains('\'', StringComparison.Ordinal))
        {
            throw new ArgumentException("a table description may not contain a quote", nameof(table));
        }

        var t = table.Name;
        var sb = new StringBuilder();
        if (table.GeometryColumn is not { } c)
        {
            sb.Append(CultureInfo.InvariantCulture, $"INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES ('{t}', 'attributes', '{t}', '{table.Description}');\n");
            return sb.ToString();
        }

        // Hangzhou's bounds for the platform's own CGCS2000 tables; a written layer sets its own afterwards.
        var extent = srs == Cgcs2000.Srid ? "118.3, 29.1, 120.8, 30.6" : "NULL, NULL, NULL, NULL";
        sb.Append(CultureInfo.InvariantCulture, $"""
            INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
              VALUES ('{t}', 'features', '{t}', '{table.Description}', {extent}, {srs});
            INSERT INTO gpkg_geometry_columns VALUES ('{t}', '{c}', '{table.GeometryType}', {srs}, 0, 0);
            INSERT INTO gpkg_extensions VALUES ('{t}', '{c}', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
            CREATE VIRTUAL TABLE rtree_{t}_{c} USING rtree(id, minx, maxx, miny, maxy);
            CREATE TRIGGER rtree_{t}_{c}_insert AFTER INSERT ON {t} WHEN (new.{c} NOT NULL AND NOT ST_IsEmpty(NEW.{c}))
            BEGIN
              INSERT OR REPLACE INTO rtree_{t}_{c} VALUES (NEW.id, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c}));
            END;
            CREATE TRIGGER rtree_{t}_{c}_update1 AFTER UPDATE OF {c} ON {t} WHEN OLD.id = NEW.id AND (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))
            BEGIN
              INSERT OR REPLACE INTO rtree_{t}_{c} VALUES (NEW.id, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c}));
            END;
            CREATE TRIGGER rtree_{t}_{c}_update2 AFTER UPDATE OF {c} ON {t} WHEN OLD.id = NEW.id AND (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))
            BEGIN
              DELETE FROM rtree_{t}_{c} WHERE id = OLD.id;
            END;
            CREATE TRIGGER rtree_{t}_{c}_update3 AFTER UPDATE ON {t} WHEN OLD.id != NEW.id AND (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))
            BEGIN
              DELETE FROM rtree_{t}_{c} WHERE id = OLD.id;
              INSERT OR REPLACE INTO rtree_{t}_{c} VALUES (NEW.id, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c}));
            END;
            CREATE TRIGGER rtree_{t}_{c}_update4 AFTER UPDATE ON {t} WHEN OLD.id != NEW.id AND (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))
            BEGIN
              DELETE FROM rtree_{t}_{c} WHERE id IN (OLD.id, NEW.id);
            END;
            CREATE TRIGGER rtree_{t}_{c}_delete AFTER DELETE ON {t} WHEN old.{c} NOT NULL
            BEGIN
              DELETE FROM rtree_{t}_{c} WHERE id = OLD.id;
            END;

            """);
        return sb.ToString();
    }
}
