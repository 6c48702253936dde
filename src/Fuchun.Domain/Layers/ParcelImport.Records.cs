using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Fuchun.Domain.LandClasses;
using Fuchun.Domain.Resources;
using Fuchun.Spatial;
using Fuchun.Spatial.Crs;
using Fuchun.Spatial.IO;
using Fuchun.Spatial.Validation;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Implementation;

namespace Fuchun.Domain.Layers;

/// <summary>
/// The reader for a loose Shapefile of polygons: its records and their .dbf rows are read in blocks and each
/// block's parcels are made on every core straight from the bytes (<see cref="ShapeRecords"/>), while the coverage
/// check and the store take the block before. The parcels, problems and messages are those the feature reader gives
/// for the same file (a test holds the two to each other); only the work is laid out differently.
/// </summary>
public static partial class ParcelImport
{
    private static void ProduceFromRecords(
        FeatureSource source, ShapeRecords records, ParcelImportOptions options, ParcelReading output,
        List<ImportProblem> problems, Action? progress, CancellationToken cancellationToken)
    {
        try
        {
            var table = records.Table!;
            var layout = RecordLayout.Of(table);
            if (records.Count == 0)
            {
                problems.Add(new(source.Source, null, Messages.ImportEmpty()));
            }
            else if (layout.LandClass < 0)
            {
                problems.Add(new(source.Source, null, Messages.ImportMissingField("DLBM")));
            }
            else
            {
                var projection = source.Crs.IsGeographic ? null : source.Crs.Projection();
                var coverage = new CoverageChecker();
                foreach (var block in records.MapBlocks(r => ConvertRecord(source, options, table, layout, projection, r)))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var parcels = new List<Parcel>(block.Length);
                    foreach (var (number, parcel, found) in block)
                    {
                        progress?.Invoke();
                        AddProblems(problems, found);
                        if (parcel is not null)
                        {
                            Cover(coverage, number, parcel);
                            parcels.Add(parcel);
                        }
                    }

                    if (problems.Count == 0 && parcels.Count > 0)
                    {
                        output.Put(parcels, cancellationToken);
                    }
                }

                AddProblems(problems, CoverageProblems(source.Source, coverage));
            }

            output.End();
        }
        catch (Exception ex)
        {
            output.End(ex is SpatialInputException spatial
                ? new LayerImportRejectedException([new(source.Source, null, spatial.Message)])
                : ex);
        }
    }

    /// <summary>Where the fields the import reads sit in the table (-1 when absent), found as the feature reader finds them.</summary>
    private sealed record RecordLayout(int LandClass, int Pbf, int Hsf, int Location, int[] Others)
    {
        /// <summary>The kept columns' names, escaped for JSON once rather than per record.</summary>
        public JsonEncodedText[] OtherNames { get; private init; } = [];

        public static RecordLayout Of(DbfTable table)
        {
            var names = table.Columns.Select(c => c.Name).ToList();
            var landClass = names.FindIndex(n => LandClassFields.Contains(n, StringComparer.OrdinalIgnoreCase));
            var others = Enumerable.Range(0, names.Count).Where(i => !KnownFields.Contains(names[i], StringComparer.OrdinalIgnoreCase)).ToArray();
            return new(landClass, table.IndexOf("PBF"), table.IndexOf("HSF"), table.IndexOf("ZLDWDM"), others)
            {
                OtherNames = [.. others.Select(i => JsonEncodedText.Encode(names[i], JsonOptions.Encoder)),],
            };
        }
    }

    private static (int Number, Parcel? Parcel, ImportProblem[] Problems) ConvertRecord(
        FeatureSource source, ParcelImportOptions options, DbfTable table, RecordLayout layout, GaussKruger? projection, ShapeRecord record)
    {
        try
        {
            return ConvertRecordOrThrow(source, options, table, layout, projection, record);
        }
        catch (SpatialInputException ex)
        {
            // A value the .dbf cannot hold (a number that is not one): that feature's problem, named.
            return ((int)record.Index + 1, null, [new(source.Source, (int)record.Index + 1, ex.Message)]);
        }
    }

    private static (int Number, Parcel? Parcel, ImportProblem[] Problems) ConvertRecordOrThrow(
        FeatureSource source, ParcelImportOptions options, DbfTable table, RecordLayout layout, GaussKruger? projection, ShapeRecord record)
    {
        var number = (int)record.Index + 1;
        var row = record.Row;
        // Made only for a record with something wrong: most have nothing.
        List<ImportProblem>? problems = null;
        var code = LandClassCode(table, layout.LandClass, record);
        if (!LandClassCatalog.TryGet(code, out _))
        {
            (problems ??= []).Add(new(source.Source, number, code.Length == 0 ? Messages.ImportMissingField(table.Columns[layout.LandClass].Name) : Messages.ImportUnknownLandClass(code)));
        }

        if (!record.IsPolygon)
        {
            // A null shape: the feature reader gives an empty polygon, which validation names.
            var empty = PolygonValidator.Validate(Cgcs2000.PackedFactory.CreateMultiPolygon())!;
            (problems ??= []).Add(new(source.Source, number, Projects.ProjectValidator.Describe(empty)));
            return (number, null, [.. problems]);
        }

        var (geometry, shell, ringProblem) = RecordGeometry(record, projection);
        if (ringProblem is not null)
        {
            (problems ??= []).Add(new(source.Source, number, Projects.ProjectValidator.Describe(ringProblem)));
            return (number, null, [.. problems]);
        }

        var (parcel, found) = Complete(
            source, options, number, problems, code, geometry, shell,
            RecordFlag(table, layout.Pbf, record),
            RecordFlag(table, layout.Hsf, record),
            layout.Location < 0 ? null : Location(table, layout.Location, record),
            RecordAttributes(table, layout, record));
        return (number, parcel, found);
    }

    /// <summary>
    /// The record's polygons in CGCS2000, assembled as the Shapefile specification (and the feature reader) does:
    /// a clockwise ring starts a polygon, the counter-clockwise rings after it are its holes (largest first), a lone
    /// counter-clockwise ring is a shell given the wrong way round. A record of one ring that <see cref="SimpleRing"/>
    /// proves valid comes as that ring's array alone (<c>Shell</c>, clockwise); any other as a geometry to validate.
    /// </summary>
    private static (MultiPolygon? Geometry, double[]? Shell, GeometryProblem? Problem) RecordGeometry(ShapeRecord record, GaussKruger? projection)
    {
        var factory = Cgcs2000.PackedFactory;
        var parts = record.Parts;
        var xy = record.Xy;
        var points = xy.Length / 2;
        if (parts.Length == 1)
        {
            // Most parcels: one ring, made without the list the general case collects rings in, and without any
            // geometry object when it is certainly valid.
            if (RingCoordinates(xy, projection, out var problem) is not { } shell)
            {
                return (null, null, problem);
            }

            if (RingOrientation.IsCounterClockwise(shell))
            {
                Reverse(shell);
            }

            return SimpleRing.IsCertainlySimple(shell) ? (null, shell, null) : (FlatCoordinates.Polygon(factory, shell), null, null);
        }

        var rings = new List<LinearRing>(parts.Length);
        for (var k = 0; k < parts.Length; k++)
        {
            var (start, end) = (parts[k], k + 1 < parts.Length ? parts[k + 1] : points);
            if (RingCoordinates(xy[(2 * start)..(2 * end)], projection, out var problem) is not { } ring)
            {
                return (null, null, problem);
            }

            rings.Add(factory.CreateLinearRing(new PackedDoubleCoordinateSequence(ring, 2, 0)));
        }

        var polygons = new List<Polygon>();
        LinearRing? current = null;
        var holes = new List<LinearRing>();
        void Close()
        {
            if (current is not null)
            {
                holes.Sort((a, b) => Area.OfRing(b.CoordinateSequence).CompareTo(Area.OfRing(a.CoordinateSequence)));
                polygons.Add(factory.CreatePolygon(current, [.. holes]));
            }

            holes.Clear();
        }

        foreach (var ring in rings)
        {
            if (current is null || !RingOrientation.IsCounterClockwise(ring.CoordinateSequence))
            {
                Close();
                current = ring;
            }
            else
            {
                holes.Add(ring);
            }
        }

        Close();
        return (factory.CreateMultiPolygon([.. polygons]), null, null);
    }

    /// <summary>
    /// A ring of the record's interleaved x, y in CGCS2000; null, with the problem, when it is too short or not
    /// closed (named for the feature; the feature reader refuses the whole file).
    /// </summary>
    private static double[]? RingCoordinates(ReadOnlySpan<double> ring, GaussKruger? projection, out GeometryProblem? problem)
    {
        var coordinates = new double[ring.Length];
        if (projection is null)
        {
            ring.CopyTo(coordinates);
        }
        else
        {
            projection.Inverse(ring, coordinates);   // eight at a time; the same bits as one by one
        }

        problem = RingProblem(coordinates);
        return problem is null ? coordinates : null;
    }

    /// <summary>Reverses a ring of interleaved x, y in place, point by point (what NetTopologySuite's Reverse gives).</summary>
    private static void Reverse(double[] xy)
    {
        for (int i = 0, j = (xy.Length / 2) - 1; i < j; i++, j--)
        {
            (xy[2 * i], xy[2 * j]) = (xy[2 * j], xy[2 * i]);
            (xy[(2 * i) + 1], xy[(2 * j) + 1]) = (xy[(2 * j) + 1], xy[(2 * i) + 1]);
        }
    }

    /// <summary>
    /// The record's DLBM as <c>table.Value(…)</c> gives it, trimmed; a text value that is a known code is the
    /// catalogue's own string (one per class, not one per record).
    /// </summary>
    private static string LandClassCode(DbfTable table, int column, ShapeRecord record)
    {
        if (table.Columns[column].IsNumeric || table.Columns[column].Type is 'D' or 'L')
        {
            return table.Value(record.Row, column, record.Index)?.ToString()?.Trim() ?? "";
        }

        Span<char> chars = stackalloc char[256];
        var length = table.TextChars(record.Row, column, chars);
        var code = length < 0 ? [] : ((ReadOnlySpan<char>)chars[..length]).Trim();
        return LandClassCatalog.TryGet(code, out var landClass) ? landClass.Code : new string(code);
    }

    /// <summary>A PBF/HSF flag as <see cref="Flag(object?)"/> reads it; a number column's without boxing it first.</summary>
    private static bool RecordFlag(DbfTable table, int column, ShapeRecord record) =>
        column >= 0 && (table.Columns[column].IsNumeric
            ? table.Number(record.Row, column, record.Index) is { } number && number != 0
            : Flag(table.Value(record.Row, column, record.Index)));

    /// <summary>The location code as text; a numeric column's digits as written (a code is not a quantity).</summary>
    private static string? Location(DbfTable table, int column, ShapeRecord record)
    {
        if (table.Columns[column].IsNumeric)
        {
            return table.Number(record.Row, column, record.Index) is null ? null : System.Text.Encoding.ASCII.GetString(table.Raw(record.Row, column)).Trim();
        }

        Span<char> chars = stackalloc char[256];
        var length = table.TextChars(record.Row, column, chars);
        return length < 0 ? null : SharedLocation(chars[..length]);
    }

    /// <summary>The location codes this thread has read, each kept once: a layer's parcels share a few hundred villages.</summary>
    [ThreadStatic]
    private static Dictionary<string, string>? locations;

    /// <summary>
    /// The code as a string this thread has made before when it has (one string per village rather than one per
    /// parcel: 60 MB fewer allocated for a million parcels); at most 4096 are kept.
    /// </summary>
    private static string SharedLocation(ReadOnlySpan<char> code)
    {
        var known = locations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        var lookup = known.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(code, out var shared))
        {
            return shared;
        }

        if (known.Count >= 4096)
        {
            known.Clear();
        }

        var made = new string(code);
        known[made] = made;
        return made;
    }

    /// <summary>What is wrong with a ring of interleaved x, y in its own right (fewer than four points, not closed), if anything.</summary>
    private static GeometryProblem? RingProblem(double[] xy)
    {
        var n = xy.Length / 2;
        if (n == 0)
        {
            return new GeometryProblem(GeometryProblemKind.TooFewPoints, null, "0");
        }

        return n < 4 ? new GeometryProblem(GeometryProblemKind.TooFewPoints, new Coordinate(xy[0], xy[1]), n.ToString(CultureInfo.InvariantCulture))
            : xy[0] != xy[2 * (n - 1)] || xy[1] != xy[(2 * n) - 1] ? new GeometryProblem(GeometryProblemKind.RingNotClosed, new Coordinate(xy[0], xy[1]), "")
            : null;
    }

    /// <summary>A writer and its buffer per thread, reset for each record: the JSON is built without allocating.</summary>
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Json)? attributeWriter;

    /// <summary>The fields the import does not read itself, as JSON, exactly as <see cref="OtherAttributes"/> writes them.</summary>
    private static byte[]? RecordAttributes(DbfTable table, RecordLayout layout, ShapeRecord record)
    {
        var (buffer, json) = attributeWriter ??= NewAttributeWriter();
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        json.WriteStartObject();
        Span<char> chars = stackalloc char[256];
        for (var k = 0; k < layout.Others.Length; k++)
        {
            var (i, name) = (layout.Others[k], layout.OtherNames[k]);
            switch (table.Columns[i].Type)
            {
                case 'N' or 'F':
                    if (table.TryShortestNumberText(record.Row, i, out var digits))
                    {
                        // Already the text WriteNumber would make of its value: copied, not parsed and formatted.
                        json.WritePropertyName(name);
                        json.WriteRawValue(digits, skipInputValidation: true);
                    }
                    else if (table.Number(record.Row, i, record.Index) is { } number)
                    {
                        json.WriteNumber(name, number);
                    }
                    else
                    {
                        json.WriteNull(name);
                    }

                    break;
                case 'D':
                    if (table.Date(record.Row, i) is { } date)
                    {
                        json.WriteString(name, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        json.WriteNull(name);
                    }

                    break;
                case 'L':
                    if (table.Logical(record.Row, i) is { } logical)
                    {
                        json.WriteNumber(name, logical ? 1 : 0);
                    }
                    else
                    {
                        json.WriteNull(name);
                    }

                    break;
                default:
                    // Decoded into a stack buffer (a column holds at most 254 bytes, so as many characters).
                    if (table.TextChars(record.Row, i, chars) is var length and >= 0)
                    {
                        json.WriteString(name, chars[..length].Trim());
                    }
                    else
                    {
                        json.WriteNull(name);
                    }

                    break;
            }
        }

        json.WriteEndObject();
        json.Flush();
        return buffer.WrittenCount <= 2 ? null : buffer.WrittenSpan.ToArray();
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewAttributeWriter()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        return (buffer, new Utf8JsonWriter(buffer, JsonOptions));
    }
}
