using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fuchun.Spatial.Crs;
using Fuchun.Spatial.Resources;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;

namespace Fuchun.Spatial.IO;

/// <summary>A file, or a feature in it, that cannot be read as given. The message names the file and the feature.</summary>
public sealed class SpatialInputException(string message) : Exception(message);

/// <summary>The geometries of one layer of a file, in file order, and the coordinate system they are in.</summary>
public sealed record GeometryLayer(string Source, CoordinateSystem Crs, IReadOnlyList<Geometry> Geometries);

/// <summary>The features (geometry and attributes) of one layer of a file, in file order, with their coordinate system.</summary>
public sealed record FeatureLayer(string Source, CoordinateSystem Crs, IReadOnlyList<IFeature> Features);

/// <summary>A layer being read feature by feature (enumerate <see cref="Features"/> once); <see cref="Count"/> as the file declares it.</summary>
public sealed record FeatureSource(string Source, CoordinateSystem Crs, IEnumerable<IFeature> Features, long Count)
{
    /// <summary>
    /// For a loose Shapefile of plain polygons, the same records read in blocks with their .dbf rows
    /// (<see cref="ShapeRecords"/>): the same features, for a reader that computes them on every core.
    /// </summary>
    public ShapeRecords? Records { get; init; }
}

/// <summary>
/// Reads the geometries of the files users bring: GeoJSON (<c>.geojson</c>, <c>.json</c>: EPSG:4490 longitude and
/// latitude, unless a legacy <c>crs</c> member names another system), Shapefile (<c>.shp</c> with its <c>.shx</c>,
/// <c>.dbf</c> and <c>.prj</c>, loose or zipped) and GeoPackage (<c>.gpkg</c>). The coordinate system comes from the file; where the
/// file does not say, the caller must state it: it is never guessed.
/// </summary>
public static partial class GeometryFiles
{
    /// <summary>The largest file read, and the most a zip may expand to: 2 GiB.</summary>
    public const long MaxBytes = 2L * 1024 * 1024 * 1024;

    private static readonly AsyncLocal<long?> LimitOverride = new();

    /// <summary>The limit in force: <see cref="MaxBytes"/>, or a smaller one a test set for its own flow.</summary>
    internal static long Limit => LimitOverride.Value ?? MaxBytes;

    /// <summary>Lowers the size limit for the calling flow only (tests of the limit without writing gigabytes).</summary>
    internal static void SetLimitForThisFlow(long? bytes) => LimitOverride.Value = bytes;

    public static GeometryLayer Read(string path, string? layer = null, CoordinateSystem? crs = null, bool gcj02 = false)
    {
        var features = ReadFeatures(path, layer, crs, gcj02: gcj02);
        return new GeometryLayer(features.Source, features.Crs, [.. features.Features.Select(f => f.Geometry)]);
    }

    /// <summary>
    /// Reads features with their attributes. A Shapefile's text encoding comes from <paramref name="encoding"/>,
    /// else its <c>.cpg</c>, else the DBF's language driver byte (GBK/GB2312 → GB18030), else UTF-8 when the bytes
    /// are valid UTF-8 and GB18030 when not: what Chinese survey offices deliver.
    /// </summary>
    /// <remarks>
    /// With <c>gcj02</c> the coordinates are taken as GCJ-02 (a Chinese web map's) and converted to CGCS2000 with
    /// <see cref="Gcj02.ToWgs84"/>: only for geographic data, and an explicit choice, never inferred.
    /// </remarks>
    public static FeatureLayer ReadFeatures(string path, string? layer = null, CoordinateSystem? crs = null, Encoding? encoding = null, bool gcj02 = false)
    {
        var read = ReadFeaturesAsStored(path, layer, crs, encoding);
        if (!gcj02)
        {
            return read;
        }

        if (!read.Crs.IsGeographic)
        {
            throw new SpatialInputException(SpatialMessages.Get("Gcj02Projected", path, read.Crs.Epsg));
        }

        var converted = read.Features.Select(f => (IFeature)new Feature(
            CoordinateMap.Apply(f.Geometry, Cgcs2000.Factory, Gcj02.ToWgs84), f.Attributes)).ToList();
        return new FeatureLayer(read.Source, CoordinateSystems.Cgcs2000, converted);
    }

    /// <summary>
    /// Opens a layer to be read one feature at a time, for files too large to hold: Shapefiles and GeoPackages
    /// stream (the header, the coordinate system and the encoding are checked at once; each feature's coordinates
    /// as it passes, so a bad feature throws <see cref="SpatialInputException"/> mid-way), other inputs are read
    /// whole first. The sequence can be enumerated once.
    /// </summary>
    public static FeatureSource OpenFeatures(string path, string? layer = null, CoordinateSystem? crs = null, Encoding? encoding = null, bool gcj02 = false)
    {
        CheckFile(path);
        var extension = Path.GetExtension(path).ToUpperInvariant();
        if (gcj02 || extension is not (".SHP" or ".GPKG"))
        {
            var all = ReadFeatures(path, layer, crs, encoding, gcj02);
            return new FeatureSource(all.Source, all.Crs, all.Features, all.Features.Count);
        }

        var source = extension == ".SHP" ? OpenShapefile(path, crs, encoding) : OpenGeoPackage(path, layer, crs);
        if (extension == ".SHP")
        {
            var records = OpenShapeRecordsWithAttributes(path, source.Crs, encoding);
            source = source with { Records = records.FileShapeType == 5 ? records : null };
        }

        return source with { Features = InRange(source.Source, source.Crs, source.Features) };
    }

    /// <summary>
    /// Opens a layer for its geometries only. A loose Shapefile streams its .shp alone (its .dbf is not decoded:
    /// half the read of a parcel layer); everything else goes through <see cref="OpenFeatures"/>.
    /// </summary>
    public static (string Source, CoordinateSystem Crs, IEnumerable<Geometry> Geometries) OpenGeometries(string path, string? layer = null, CoordinateSystem? crs = null, bool gcj02 = false)
    {
        CheckFile(path);
        if (gcj02 || !Path.GetExtension(path).Equals(".shp", StringComparison.OrdinalIgnoreCase))
        {
            var features = OpenFeatures(path, layer, crs, gcj02: gcj02);
            return (features.Source, features.Crs, features.Features.Select(f => f.Geometry));
        }

        var source = OpenShapefile(path, crs, Encoding.UTF8);
        var records = source.Count;
        return (source.Source, source.Crs, InRange(source.Source, source.Crs, ShpGeometries(path, records)).Select(f => f.Geometry));
    }

    /// <summary>
    /// The records of a shapefile as stored, to compute over every vertex of a large file without building
    /// geometries (see <see cref="ShapeRecords"/>). The parts, their lengths and counts and the coordinate system
    /// are checked here; each record as it is read.
    /// </summary>
    public static ShapeRecords OpenShapeRecords(string path, CoordinateSystem? crs = null)
    {
        CheckFile(path);
        var system = ShapefileCrs(path, crs);
        return new ShapeRecords(path, system, CheckShapefileParts(path));
    }

    /// <summary>
    /// The records of a shapefile with their .dbf rows (<see cref="ShapeRecords.Table"/>), its text decoded in
    /// <paramref name="encoding"/> or the one the file declares (.cpg, language driver, content), as
    /// <see cref="OpenFeatures"/> would read it.
    /// </summary>
    public static ShapeRecords OpenShapeRecordsWithAttributes(string path, CoordinateSystem? crs = null, Encoding? encoding = null)
    {
        CheckFile(path);
        var system = ShapefileCrs(path, crs);
        var count = CheckShapefileParts(path);
        var table = DbfTable.Open(Path.ChangeExtension(path, ".dbf"), encoding ?? DbfEncoding(path));
        return new ShapeRecords(path, system, count, table);
    }

    private static IEnumerable<IFeature> ShpGeometries(string path, long records)
    {
        var options = new ShapefileReaderOptions
        {
            GeometryBuilderMode = GeometryBuilderMode.IgnoreInvalidShapes,
            Factory = new GeometryFactory(new PrecisionModel(), 0, NetTopologySuite.Geometries.Implementation.PackedCoordinateSequenceFactory.DoubleFactory),
        };
        using var stream = File.OpenRead(path);
        using var reader = Guard(path, () => NetTopologySuite.IO.Esri.Shp.Shp.OpenRead(stream, options));
        using var e = ((IEnumerable<Geometry>)reader).GetEnumerator();
        long read = 0;
        while (Guard(path, e.MoveNext))
        {
            read++;
            yield return new Feature(e.Current, null);
        }

        if (read != records)
        {
            throw new SpatialInputException(SpatialMessages.Get("ShapefileShortRead", path, read, records));
        }
    }

    private static void CheckFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new SpatialInputException(SpatialMessages.Get("FileMissing", path));
        }

        if (new FileInfo(path).Length > Limit)
        {
            throw new SpatialInputException(SpatialMessages.Get("FileTooLarge", path, Limit / (1024.0 * 1024)));
        }
    }

    private static FeatureLayer ReadFeaturesAsStored(string path, string? layer, CoordinateSystem? crs, Encoding? encoding)
    {
        CheckFile(path);
        var source = Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".ZIP" => ReadZip(path, layer, crs, encoding),
            ".GEOJSON" or ".JSON" => ReadGeoJson(path, crs),
            ".SHP" => OpenShapefile(path, crs, encoding),
            ".GPKG" => OpenGeoPackage(path, layer, crs),
            var other => throw new SpatialInputException(SpatialMessages.Get("UnknownFormat", path, other)),
        };
        return new FeatureLayer(source.Source, source.Crs, [.. InRange(source.Source, source.Crs, source.Features)]);
    }

    /// <summary>
    /// Extracts the zip archive <paramref name="path"/> into <paramref name="folder"/>, refusing entries whose paths
    /// would leave it and archives that expand beyond <see cref="MaxBytes"/> (counting what is really written).
    /// </summary>
    public static void ExtractZip(string path, string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        try
        {
            using var archive = ZipFile.OpenRead(path);
            long total = 0;
            foreach (var entry in archive.Entries)
            {
                var target = Path.GetFullPath(Path.Combine(root, entry.FullName));
                if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    throw new SpatialInputException(SpatialMessages.Get("ZipEntryEscapes", path, entry.FullName));
                }

                if (entry.FullName.EndsWith('/'))
                {
                    continue;
                }

                // Count what is really written: an entry's declared size can lie.
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using var input = entry.Open();
                using var output = File.Create(target);
                var buffer = new byte[81920];
                int read;
                while ((read = input.Read(buffer)) > 0)
                {
                    total += read;
                    if (total > Limit)
                    {
                        throw new SpatialInputException(SpatialMessages.Get("ZipTooLarge", path, Limit / (1024.0 * 1024)));
                    }

                    output.Write(buffer, 0, read);
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw new SpatialInputException(SpatialMessages.Get("ZipUnreadable", path, ex.Message));
        }
    }

    /// <summary>
    /// A zipped Shapefile (or GeoJSON/GeoPackage): extracted to a private temporary folder, refusing entries whose
    /// paths would leave it and archives that expand beyond <see cref="MaxBytes"/>, then read as the one data file
    /// it holds (or the one named by <paramref name="layer"/>).
    /// </summary>
    private static FeatureSource ReadZip(string path, string? layer, CoordinateSystem? crs, Encoding? encoding)
    {
        var folder = Directory.CreateTempSubdirectory("fuchun-zip-");
        try
        {
            ExtractZip(path, folder.FullName);

            var candidates = Directory.EnumerateFiles(folder.FullName, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetExtension(f).ToUpperInvariant() is ".SHP" or ".GEOJSON" or ".JSON" or ".GPKG")
                .Where(f => layer is null || Path.GetFileNameWithoutExtension(f) == layer || Path.GetExtension(f).Equals(".gpkg", StringComparison.OrdinalIgnoreCase))
                .ToList();
            if (candidates.Count != 1)
            {
                var names = string.Join(", ", candidates.Select(Path.GetFileName));
                throw new SpatialInputException(candidates.Count == 0
                    ? SpatialMessages.Get("ZipNoData", path)
                    : SpatialMessages.Get("ZipManyData", path, candidates.Count, names));
            }

            var inner = ReadFeatures(candidates[0], Path.GetExtension(candidates[0]).Equals(".gpkg", StringComparison.OrdinalIgnoreCase) ? layer : null, crs, encoding);
            return new FeatureSource(path + "!" + Path.GetRelativePath(folder.FullName, inner.Source), inner.Crs, inner.Features, inner.Features.Count);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static FeatureSource ReadGeoJson(string path, CoordinateSystem? crs)
    {
        var text = File.ReadAllText(path);
        CoordinateSystem declared;
        try
        {
            using var doc = JsonDocument.Parse(text);
            declared = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("crs", out var member)
                ? LegacyGeoJsonCrs(path, member)
                : crs ?? CoordinateSystems.Cgcs2000;
        }
        catch (JsonException ex)
        {
            throw new SpatialInputException(SpatialMessages.Get("JsonInvalid", path, ex.Message));
        }

        try
        {
            var features = GeoJsonGeometryReader.ReadFeatures(text);
            return new FeatureSource(path, declared, features, features.Count);
        }
        catch (GeoJsonFormatException ex)
        {
            throw new SpatialInputException(SpatialMessages.Get("GeoJsonInvalid", path, ex.Message));
        }
    }

    private static CoordinateSystem LegacyGeoJsonCrs(string path, JsonElement member)
    {
        var name = member.TryGetProperty("properties", out var p) && p.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
        if (name.Contains("CRS84", StringComparison.OrdinalIgnoreCase))
        {
            return CoordinateSystems.Get(4326);
        }

        var code = EpsgInName().Match(name);
        if (!code.Success)
        {
            throw new SpatialInputException(SpatialMessages.Get("CrsMemberNoEpsg", path, name));
        }

        var epsg = int.Parse(code.Groups[1].Value, CultureInfo.InvariantCulture);
        return CoordinateSystems.TryGet(epsg, out var known)
            ? known
            : throw new SpatialInputException(SpatialMessages.Get("CrsMemberUnsupported", path, epsg));
    }

    private static FeatureSource OpenShapefile(string path, CoordinateSystem? crs, Encoding? encoding)
    {
        crs = ShapefileCrs(path, crs);

        // Shapes are built as stored, without the reader's own checks: every geometry is validated afterwards
        // with a message naming the feature and the problem (and the reader's strict mode costs half the read).
        var options = new ShapefileReaderOptions
        {
            Encoding = encoding ?? DbfEncoding(path),
            GeometryBuilderMode = GeometryBuilderMode.IgnoreInvalidShapes,
            Factory = new GeometryFactory(new PrecisionModel(), 0, NetTopologySuite.Geometries.Implementation.PackedCoordinateSequenceFactory.DoubleFactory),
        };
        var records = CheckShapefileParts(path);
        return new FeatureSource(path, crs, ShapefileFeatures(path, options, records), records);
    }

    /// <summary>
    /// The coordinate system of a shapefile: <paramref name="crs"/> when the caller states it, else its .prj's. Its
    /// .shx and .dbf must be there.
    /// </summary>
    private static CoordinateSystem ShapefileCrs(string path, CoordinateSystem? crs)
    {
        foreach (var part in new[] { ".shx", ".dbf" })
        {
            if (!File.Exists(Path.ChangeExtension(path, part)))
            {
                throw new SpatialInputException(SpatialMessages.Get("ShapefilePartMissing", path, part));
            }
        }

        var prj = Path.ChangeExtension(path, ".prj");
        if (crs is null)
        {
            if (!File.Exists(prj))
            {
                throw new SpatialInputException(SpatialMessages.Get("ShapefileNoPrj", path));
            }

            crs = Identify(path, File.ReadAllText(prj));
        }

        return crs;
    }

    /// <summary>
    /// A shapefile's three parts must agree: the .shp and .shx headers state each file's length, the .shx holds one
    /// entry per record and the .dbf states its record count. A file cut short in transfer fails here, before a
    /// reader could quietly return the records that survived. Returns the record count.
    /// </summary>
    private static long CheckShapefileParts(string path)
    {
        static long DeclaredLength(string file)
        {
            using var stream = File.OpenRead(file);
            Span<byte> header = stackalloc byte[100];
            if (stream.ReadAtLeast(header, 100, throwOnEndOfStream: false) < 100)
            {
                return -1;
            }

            return 2L * BinaryPrimitives.ReadInt32BigEndian(header[24..28]);
        }

        var shx = Path.ChangeExtension(path, ".shx");
        foreach (var part in new[] { path, shx })
        {
            var actual = new FileInfo(part).Length;
            var declared = DeclaredLength(part);
            if (declared != actual)
            {
                throw new SpatialInputException(SpatialMessages.Get("ShapefileHeaderLength", part, declared, actual));
            }
        }

        var records = (new FileInfo(shx).Length - 100) / 8;
        var dbf = Path.ChangeExtension(path, ".dbf");
        using (var stream = File.OpenRead(dbf))
        {
            Span<byte> header = stackalloc byte[32];
            var dbfRecords = stream.ReadAtLeast(header, 32, throwOnEndOfStream: false) < 32 ? -1L : BinaryPrimitives.ReadUInt32LittleEndian(header[4..8]);
            if (dbfRecords != records)
            {
                throw new SpatialInputException(SpatialMessages.Get("ShapefileCountMismatch", path, records, dbfRecords));
            }
        }

        return records;
    }

    /// <summary>The features of a shapefile, opened when first enumerated (a caller that reads the records in blocks never opens it).</summary>
    private static IEnumerable<IFeature> ShapefileFeatures(string path, ShapefileReaderOptions options, long records)
    {
        using (var reader = Guard(path, () => Shapefile.OpenRead(path, options)))
        {
            using var e = ((IEnumerable<Feature>)reader).GetEnumerator();
            long read = 0;
            while (Guard(path, e.MoveNext))
            {
                read++;
                yield return e.Current;
            }

            if (read != records)
            {
                throw new SpatialInputException(SpatialMessages.Get("ShapefileShortRead", path, read, records));
            }
        }
    }

    /// <summary>Runs a step of the shapefile reader, turning its failures (truncation, bad records) into a message.</summary>
    private static T Guard<T>(string path, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception ex) when (ex is ShapefileException or IOException or InvalidDataException or ArgumentException or EndOfStreamException or IndexOutOfRangeException or NotSupportedException)
        {
            throw new SpatialInputException(SpatialMessages.Get("ShapefileUnreadable", path, ex.Message));
        }
    }

    private static FeatureSource OpenGeoPackage(string path, string? layer, CoordinateSystem? crs)
    {
        try
        {
            using var connection = OpenReadOnly(path);
            var tables = new List<(string Table, string Column, int SrsId)>();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name WHERE c.data_type = 'features' ORDER BY c.table_name";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    tables.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
                }
            }

            var names = string.Join(", ", tables.Select(t => t.Table));
            var chosen = layer is not null
                ? tables.FirstOrDefault(t => t.Table == layer)
                : tables.Count == 1 ? tables[0] : default;
            if (chosen.Table is null)
            {
                throw new SpatialInputException(layer is null
                    ? SpatialMessages.Get("GeoPackageLayers", path, tables.Count, names)
                    : SpatialMessages.Get("GeoPackageNoLayer", path, layer, names));
            }

            crs ??= GeoPackageCrs(connection, path, chosen.SrsId);

            // Names come from the file's own metadata, checked against it above; quote them as identifiers.
            var table = $"\"{chosen.Table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM {table}";
            var rows = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            return new FeatureSource($"{path}:{chosen.Table}", crs, GeoPackageFeatures(path, chosen.Table, table, chosen.Column), rows);
        }
        catch (SqliteException ex)
        {
            throw new SpatialInputException(SpatialMessages.Get("GeoPackageUnreadable", path, ex.Message));
        }
    }

    internal static SqliteConnection OpenReadOnly(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static IEnumerable<IFeature> GeoPackageFeatures(string path, string name, string table, string column)
    {
        using var connection = OpenReadOnly(path);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {table} ORDER BY rowid";
        using var reader = command.ExecuteReader();
        var geometryOrdinal = reader.GetOrdinal(column);
        var geoReader = new GeoPackageGeoReader { HandleSRID = true };
        var row = 0;
        while (reader.Read())
        {
            row++;
            if (reader.IsDBNull(geometryOrdinal))
            {
                throw new SpatialInputException(SpatialMessages.Get("FeatureNoGeometry", path, row, name));
            }

            var attributes = new AttributesTable();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (i != geometryOrdinal)
                {
                    attributes.Add(reader.GetName(i), reader.IsDBNull(i) ? null : reader.GetValue(i));
                }
            }

            Geometry geometry;
            try
            {
                geometry = geoReader.Read((byte[])reader.GetValue(geometryOrdinal));
            }
            catch (Exception ex) when (ex is ParseException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or EndOfStreamException)
            {
                throw new SpatialInputException(SpatialMessages.Get("FeatureBadGeometry", path, row, name, ex.Message));
            }

            yield return new Feature(geometry, attributes);
        }
    }

    private static CoordinateSystem GeoPackageCrs(SqliteConnection connection, string path, int srsId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = $id";
        command.Parameters.AddWithValue("$id", srsId);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new SpatialInputException(SpatialMessages.Get("SrsMissing", path, srsId));
        }

        if (string.Equals(reader.GetString(0), "EPSG", StringComparison.OrdinalIgnoreCase) && CoordinateSystems.TryGet(reader.GetInt32(1), out var known))
        {
            return known;
        }

        return Identify(path, reader.GetString(2));
    }

    private static CoordinateSystem Identify(string path, string wkt)
    {
        try
        {
            return CoordinateSystems.FromWkt(wkt);
        }
        catch (UnknownCoordinateSystemException ex)
        {
            throw new SpatialInputException(SpatialMessages.Get("CrsProblem", path, ex.Message));
        }
    }

    /// <summary>
    /// Coordinates must lie where the declared system puts the earth: longitude and latitude in range, or a
    /// Gauss–Krüger easting within 500 km of its central meridian (which catches a zone prefix missing or added).
    /// </summary>
    private static IEnumerable<IFeature> InRange(string source, CoordinateSystem crs, IEnumerable<IFeature> features)
    {
        var i = 0;
        var check = new RangeCheck(crs);
        foreach (var feature in features)
        {
            i++;
            if (feature.Geometry is { } geometry)
            {
                // Sequence by sequence: Geometry.Coordinates would copy every vertex into a new object first.
                check.Reset();
                geometry.Apply(check);
                if (check.Bad is { } c)
                {
                    throw new SpatialInputException(SpatialMessages.Get("OutOfRange", source, i, c.X.ToString(CultureInfo.InvariantCulture), c.Y.ToString(CultureInfo.InvariantCulture), crs.Epsg, crs.Name));
                }
            }

            yield return feature;
        }
    }

    /// <summary>Finds the first coordinate outside the coordinate system's range (or not finite).</summary>
    internal sealed class RangeCheck(CoordinateSystem crs) : IEntireCoordinateSequenceFilter
    {
        private readonly Vector256<double> low = crs.IsGeographic
            ? Vector256.Create(-180.0, -90, -180, -90)
            : Vector256.Create(crs.FalseEasting - 500_000, 0, crs.FalseEasting - 500_000, 0);

        private readonly Vector256<double> high = crs.IsGeographic
            ? Vector256.Create(180.0, 90, 180, 90)
            : Vector256.Create(crs.FalseEasting + 500_000, 10_000_000, crs.FalseEasting + 500_000, 10_000_000);

        public (double X, double Y)? Bad { get; private set; }

        public bool Done => Bad is not null;

        public bool GeometryChanged => false;

        public void Reset() => Bad = null;

        public void Filter(CoordinateSequence seq)
        {
            for (var k = 0; k < seq.Count && Bad is null; k++)
            {
                Check(seq.GetX(k), seq.GetY(k));
            }
        }

        /// <summary>
        /// The same for coordinates as interleaved x, y: two points at a time against the bounds as x, y, x, y
        /// (a NaN fails every comparison, an infinity the bounds), the first bad point then found one by one.
        /// Compiled optimised at its first call: vector code is not in the ReadyToRun image.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Filter(ReadOnlySpan<double> xy)
        {
            var k = 0;
            for (; k + 4 <= xy.Length; k += 4)
            {
                var v = Vector256.Create(xy[k..]);
                if ((Vector256.GreaterThanOrEqual(v, low) & Vector256.LessThanOrEqual(v, high)).ExtractMostSignificantBits() != 0b1111)
                {
                    break;
                }
            }

            for (; k + 1 < xy.Length && Bad is null; k += 2)
            {
                Check(xy[k], xy[k + 1]);
            }
        }

        private void Check(double x, double y)
        {
            var ok = crs.IsGeographic
                ? x is >= -180 and <= 180 && y is >= -90 and <= 90
                : Math.Abs(x - crs.FalseEasting) <= 500_000 && y is >= 0 and <= 10_000_000;
            if (!ok || !double.IsFinite(x) || !double.IsFinite(y))
            {
                Bad = (x, y);
            }
        }
    }

    /// <summary>The text encoding of a shapefile's DBF: .cpg, else the language driver byte, else by content.</summary>
    internal static Encoding DbfEncoding(string shp)
    {
        var cpg = Path.ChangeExtension(shp, ".cpg");
        if (File.Exists(cpg))
        {
            var name = File.ReadAllText(cpg).Trim();
            return name.ToUpperInvariant() switch
            {
                "UTF-8" or "UTF8" or "65001" => new UTF8Encoding(false),
                "GBK" or "CP936" or "936" or "GB2312" or "GB18030" or "54936" => Gb18030,
                _ => TryEncoding(name) ?? throw new SpatialInputException(SpatialMessages.Get("CpgUnknown", shp, name)),
            };
        }

        var dbf = File.ReadAllBytes(Path.ChangeExtension(shp, ".dbf"));
        // Language driver id (byte 29): 0x4D and 0x7A are the Chinese (GBK/GB2312) code pages.
        if (dbf.Length > 29 && dbf[29] is 0x4D or 0x7A)
        {
            return Gb18030;
        }

        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(dbf);
            return new UTF8Encoding(false);
        }
        catch (DecoderFallbackException)
        {
            return Gb18030;
        }
    }

    /// <summary>GB 18030, a superset of GBK and GB 2312: decodes everything Chinese survey offices write.</summary>
    public static Encoding Gb18030 { get; } = LoadGb18030();

    private static Encoding LoadGb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(54936);
    }

    private static Encoding? TryEncoding(string name)
    {
        try
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"EPSG:{1,2}(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex EpsgInName();
}
