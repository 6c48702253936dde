using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Fuchun.Domain.LandClasses;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Resources;
using Fuchun.Spatial;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.Crs;
using Fuchun.Spatial.IO;
using Fuchun.Spatial.Validation;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;

namespace Fuchun.Domain.Layers;

/// <summary>One thing wrong with an input layer: where (file, feature number from 1) and what, in zh-CN.</summary>
public sealed record ImportProblem(string Source, int? Feature, string Message)
{
    public override string ToString() =>
        Feature is { } n ? Messages.ImportFeature(Source, n, Message) : Messages.ImportFile(Source, Message);
}

/// <summary>The parcels read from a layer, or the problems that stop it being taken.</summary>
public sealed record ParcelImportResult(IReadOnlyList<Parcel> Parcels, IReadOnlyList<ImportProblem> Problems)
{
    public bool Accepted => Problems.Count == 0;
}

/// <summary>The layer was not taken; nothing of it was stored.</summary>
public sealed class LayerImportRejectedException(IReadOnlyList<ImportProblem> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<ImportProblem> Problems { get; } = problems;
}

/// <summary>
/// Turns a layer of 三调 parcels (地类图斑) as delivered into the platform's parcels, checking everything:
/// polygonal, valid geometry; the DLBM field present and every code in the 三调 classification; the parcels an
/// exact coverage (no overlaps, no gaps, shared edges that match). Coordinates are taken to CGCS2000 longitude/
/// latitude (Gauss–Krüger inverse for projected data); Xi'an 1980 and Beijing 1954 data is refused, since their
/// transformation to CGCS2000 needs local parameters. PBF/HSF flags, ZLDWDM are read when present; other fields are
/// kept as JSON.
/// </summary>
/// <remarks>
/// <see cref="ReadAsync"/> streams: features are read on one thread, converted and checked in parallel batches,
/// and handed on batch by batch while the next is being prepared, so a layer of a million parcels never sits in
/// memory whole. Its problems are only all known at the end, when the sequence throws
/// <see cref="LayerImportRejectedException"/>: whoever stores the batches must do so in a transaction.
/// </remarks>
public static partial class ParcelImport
{
    private const int BatchSize = 4096;
    private const int MaxProblems = 1000;
    private static readonly string[] LandClassFields = ["DLBM", "地类编码"];
    private static readonly string[] KnownFields = ["DLBM", "地类编码", "PBF", "HSF", "ZLDWDM"];

    /// <summary>Converts and checks a whole layer held in memory.</summary>
    public static ParcelImportResult Convert(FeatureLayer layer, ParcelImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var parcels = new List<Parcel>(layer.Features.Count);
        try
        {
            foreach (var batch in ReadAsync(new FeatureSource(layer.Source, layer.Crs, layer.Features, layer.Features.Count), options).ToBlockingEnumerable())
            {
                parcels.AddRange(batch);
            }

            return new(parcels, []);
        }
        catch (LayerImportRejectedException ex)
        {
            return new([], ex.Problems);
        }
    }

    /// <summary>
    /// The parcels of <paramref name="source"/> in batches, in file order; throws
    /// <see cref="LayerImportRejectedException"/> at the end (or at once, for a layer that cannot be read at all)
    /// if anything is wrong. <paramref name="progress"/> is called once per feature read.
    /// </summary>
    public static async IAsyncEnumerable<IReadOnlyList<Parcel>> ReadAsync(
        FeatureSource source, ParcelImportOptions? options = null, Action? progress = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var parcels = Start(source, options, progress, cancellationToken);
        await foreach (var batch in parcels.WithCancellation(cancellationToken))
        {
            yield return batch;
        }
    }

    /// <summary>
    /// Starts reading, converting and checking <paramref name="source"/> now, for a caller that has more to get ready
    /// before it takes the parcels (<see cref="ParcelReading"/>); the batches and problems are those of
    /// <see cref="ReadAsync"/>.
    /// </summary>
    public static ParcelReading Start(FeatureSource source, ParcelImportOptions? options = null, Action? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new ParcelImportOptions();
        if (source.Crs.Datum is Datum.Xian1980 or Datum.Beijing1954)
        {
            return new ParcelReading(null, new LayerImportRejectedException([new(source.Source, null, Messages.ImportDatumNeedsTransform(source.Crs.Name))]), cancellationToken);
        }

        return new ParcelReading((output, problems, token) => Produce(source, options, output, problems, progress, token), null, cancellationToken)
        {
            ExpectedCount = source.Count >= 0 ? source.Count : null,
        };
    }

    private static void Produce(FeatureSource source, ParcelImportOptions options, ParcelReading output, List<ImportProblem> problems, Action? progress, CancellationToken cancellationToken)
    {
        if (source.Records is { Table: not null } records)
        {
            ProduceFromRecords(source, records, options, output, problems, progress, cancellationToken);
            return;
        }

        // The reader stops when told to: the checks may give up early (no DLBM field), or fail.
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var reading = new BlockingCollection<List<IFeature>>(boundedCapacity: 2);
            var reader = Task.Run(() =>
            {
                try
                {
                    var batch = new List<IFeature>(BatchSize);
                    foreach (var feature in source.Features)
                    {
                        batch.Add(feature);
                        progress?.Invoke();
                        if (batch.Count == BatchSize)
                        {
                            reading.Add(batch, stopReading.Token);
                            batch = new List<IFeature>(BatchSize);
                        }
                    }

                    reading.Add(batch, stopReading.Token);
                }
                catch (OperationCanceledException) when (stopReading.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    // Told to stop: what was read is not needed.
                }
                finally
                {
                    reading.CompleteAdding();
                }
            }, cancellationToken);

            var coverage = new CoverageChecker();
            Schema? schema = null;
            var offset = 0;
            foreach (var features in reading.GetConsumingEnumerable(cancellationToken))
            {
                if (schema is null)
                {
                    if (features.Count == 0)
                    {
                        problems.Add(new(source.Source, null, Messages.ImportEmpty()));
                        break;
                    }

                    schema = Schema.Of(features[0]);
                    if (schema.LandClass is null)
                    {
                        problems.Add(new(source.Source, null, Messages.ImportMissingField("DLBM")));
                        break;
                    }
                }

                var converted = new (Parcel? Parcel, ImportProblem[] Problems)[features.Count];
                var start = offset;
                Parallel.For(0, features.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                    converted[i] = ConvertOne(source, options, schema, start + i + 1, features[i]));

                var parcels = new List<Parcel>(features.Count);
                for (var i = 0; i < converted.Length; i++)
                {
                    var (parcel, found) = converted[i];
                    AddProblems(problems, found);
                    if (parcel is not null)
                    {
                        Cover(coverage, start + i + 1, parcel);
                        parcels.Add(parcel);
                    }
                }

                offset += features.Count;
                if (problems.Count == 0 && parcels.Count > 0)
                {
                    // Nothing wrong so far: hand the batch on (it may still be rolled back at the end).
                    output.Put(parcels, cancellationToken);
                }
            }

            stopReading.Cancel();
            reader.GetAwaiter().GetResult();
            if (schema?.LandClass is not null && offset > 0)
            {
                AddProblems(problems, CoverageProblems(source.Source, coverage));
            }

            output.End();
        }
        catch (Exception ex)
        {
            stopReading.Cancel();
            output.End(ex is SpatialInputException spatial
                ? new LayerImportRejectedException([new(source.Source, null, spatial.Message)])
                : ex);
        }
    }

    private static void AddProblems(List<ImportProblem> problems, IEnumerable<ImportProblem> found)
    {
        foreach (var p in found)
        {
            if (problems.Count < MaxProblems)
            {
                problems.Add(p);
            }
        }
    }

    private sealed record Schema(string? LandClass, string? Pbf, string? Hsf, string? Location, string[] Names)
    {
        public static Schema Of(IFeature first)
        {
            var names = first.Attributes?.GetNames() ?? [];
            string? Field(string name) => names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            return new(names.FirstOrDefault(n => LandClassFields.Contains(n, StringComparer.OrdinalIgnoreCase)), Field("PBF"), Field("HSF"), Field("ZLDWDM"), names);
        }
    }

    private static (Parcel?, ImportProblem[]) ConvertOne(FeatureSource source, ParcelImportOptions options, Schema schema, int number, IFeature feature)
    {
        var problems = new List<ImportProblem>();
        var code = feature.Attributes?.Exists(schema.LandClass!) == true ? feature.Attributes[schema.LandClass!]?.ToString()?.Trim() ?? "" : "";
        if (!LandClassCatalog.TryGet(code, out _))
        {
            problems.Add(new(source.Source, number, code.Length == 0 ? Messages.ImportMissingField(schema.LandClass!) : Messages.ImportUnknownLandClass(code)));
        }

        if (feature.Geometry is not (Polygon or MultiPolygon))
        {
            problems.Add(new(source.Source, number, Messages.ImportNotPolygon(feature.Geometry?.GeometryType ?? "null")));
            return (null, [.. problems]);
        }

        var projection = source.Crs.IsGeographic ? null : source.Crs.Projection();
        var geometry = ToCgcs2000(feature.Geometry, projection);
        return Complete(
            source, options, number, problems, code, geometry, shell: null,
            Flag(feature, schema.Pbf), Flag(feature, schema.Hsf),
            schema.Location is null ? null : feature.Attributes![schema.Location]?.ToString(),
            OtherAttributes(feature.Attributes!));
    }

    /// <summary>
    /// What every reader shares once it has a parcel's land class and its geometry in CGCS2000 — either
    /// <paramref name="geometry"/>, or for a polygon without holes known to be valid its <paramref name="shell"/>
    /// alone: the geometry's validation and repair, the PBF/HSF flags (from the overlay layers when given), the
    /// area, the parcel.
    /// </summary>
    private static (Parcel?, ImportProblem[]) Complete(
        FeatureSource source, ParcelImportOptions options, int number, List<ImportProblem>? problems, string code, MultiPolygon? geometry,
        double[]? shell, bool pbfFlag, bool hsfFlag, string? location, byte[]? attributes)
    {
        if (shell is null && PolygonValidator.Validate(geometry!) is { } problem)
        {
            var repaired = options.Repair && problem.Kind is not (GeometryProblemKind.NonFiniteCoordinate or GeometryProblemKind.OutsideRange or GeometryProblemKind.Empty)
                ? Repair(geometry!)
                : null;
            if (repaired is null)
            {
                (problems ??= []).Add(new(source.Source, number, ProjectValidator.Describe(problem)));
                return (null, [.. problems]);
            }

            options.Repairs.Enqueue(new(source.Source, number, Messages.ImportRepaired(
                ProjectValidator.Describe(problem), EllipsoidalArea.OfGeometry(geometry!), EllipsoidalArea.OfGeometry(repaired))));
            geometry = repaired;
        }

        if (problems is { Count: > 0 })
        {
            return (null, [.. problems]);
        }

        // The overlay layers take a geometry: made of the shell only when one is given.
        if (shell is not null && (options.PbfLayer is not null || options.HighStandardLayer is not null))
        {
            geometry = FlatCoordinates.Polygon(Cgcs2000.PackedFactory, shell);
        }

        if (geometry is null)
        {
            return (Parcel.WithShellJsonUtf8(code, pbfFlag, hsfFlag, location, shell!, EllipsoidalArea.OfShell(shell), attributes), []);
        }

        var pbf = options.PbfLayer is { } pbfLayer ? pbfLayer.Covers(geometry) : pbfFlag;
        var hsf = options.HighStandardLayer is { } hsfLayer ? hsfLayer.Covers(geometry) : hsfFlag;
        return (Parcel.WithJsonUtf8(code, pbf, hsf, location, geometry, EllipsoidalArea.OfGeometry(geometry), attributes), []);
    }

    /// <summary>Adds the parcel to the coverage check from its shell when it is held so, else from its geometry.</summary>
    private static void Cover(CoverageChecker coverage, int number, Parcel parcel)
    {
        if (parcel.Shell is { } shell)
        {
            coverage.AddShell(number, shell);
        }
        else
        {
            coverage.Add(number, parcel.Geometry);
        }
    }

    private static IEnumerable<ImportProblem> CoverageProblems(string source, CoverageChecker coverage)
    {
        foreach (var d in coverage.Finish(Cgcs2000.Factory))
        {
            var where = Messages.At(d.Location.X, d.Location.Y);
            yield return new(source, d.Feature == 0 ? null : d.Feature, d.Kind switch
            {
                CoverageDefectKind.Overlap => Messages.ImportOverlap(where),
                CoverageDefectKind.Gap => Messages.ImportGap(where, Math.Abs(EllipsoidalArea.OfRing(d.Ring!.CoordinateSequence))),
                _ => Messages.ImportEdgeMismatch(where),
            });
        }
    }

    /// <summary>NetTopologySuite's GeometryFixer, kept only when it yields a valid (multi)polygon.</summary>
    private static MultiPolygon? Repair(MultiPolygon geometry)
    {
        var fixedGeometry = GeometryFixer.Fix(geometry);
        var polygons = Enumerable.Range(0, fixedGeometry.NumGeometries).Select(fixedGeometry.GetGeometryN).OfType<Polygon>().Where(p => !p.IsEmpty).ToArray();
        if (polygons.Length == 0)
        {
            return null;
        }

        var result = Cgcs2000.PackedFactory.CreateMultiPolygon(polygons);
        return PolygonValidator.Validate(result) is null ? result : null;
    }

    private static MultiPolygon ToCgcs2000(Geometry geometry, GaussKruger? projection)
    {
        var copy = projection is null
            ? Cgcs2000.PackedFactory.CreateGeometry(geometry)
            : CoordinateMap.Apply(geometry, Cgcs2000.PackedFactory, projection.Inverse);
        return copy as MultiPolygon ?? Cgcs2000.PackedFactory.CreateMultiPolygon([(Polygon)copy]);
    }

    private static bool Flag(IFeature feature, string? field) => Flag(field is null ? null : feature.Attributes?[field]);

    private static bool Flag(object? value)
    {
        return value switch
        {
            null => false,
            bool b => b,
            string s => s.Trim() is "1" or "是" or "Y" or "y" or "true" or "TRUE",
            _ => System.Convert.ToDouble(value, CultureInfo.InvariantCulture) != 0,
        };
    }

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static byte[]? OtherAttributes(IAttributesTable attributes)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            foreach (var name in attributes.GetNames())
            {
                if (KnownFields.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                switch (attributes[name])
                {
                    case null:
                        json.WriteNull(name);
                        break;
                    case string text:
                        json.WriteString(name, text.Trim());
                        break;
                    case DateTime date:
                        json.WriteString(name, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                        break;
                    case var value:
                        json.WriteNumber(name, System.Convert.ToDouble(value, CultureInfo.InvariantCulture));
                        break;
                }
            }

            json.WriteEndObject();
        }

        return buffer.WrittenCount <= 2 ? null : buffer.WrittenSpan.ToArray();
    }
}
