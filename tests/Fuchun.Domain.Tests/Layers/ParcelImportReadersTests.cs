using System.Text;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Mosaic;
using Fuchun.Spatial;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.IO;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Writers;

namespace Fuchun.Domain.Tests.Layers;

/// <summary>
/// A loose Shapefile is imported from its records read in blocks (<see cref="FeatureSource.Records"/>); every other
/// input through NetTopologySuite's feature reader. The two must give the same parcels, problems and repairs for the
/// same file: here each file is imported both ways and compared field by field.
/// </summary>
public sealed class ParcelImportReadersTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("fuchun-readers-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(MosaicOrder.Sorted)]
    [InlineData(MosaicOrder.Shuffled)]
    public async Task Mosaic_BothReaders_GiveTheSameParcels(MosaicOrder order)
    {
        var path = Path.Combine(folder, $"mosaic-{order}.shp");
        MosaicFiles.Write(path, new MosaicGenerator(10_000, seed: 3).Before(), order, seed: 3);

        var (records, features) = await BothAsync(path, new ParcelImportOptions(), new ParcelImportOptions());

        Assert.Empty(records.Problems);
        Assert.InRange(records.Parcels.Count, 9_000, 11_000);
        // Most parcels of the records' reader are held as their shell alone; the feature reader's as geometries.
        Assert.InRange(records.Parcels.Count(p => p.Shell is not null), records.Parcels.Count * 9 / 10, records.Parcels.Count - 1);
        Assert.All(features.Parcels, p => Assert.Null(p.Shell));
        Assert.All(records.Parcels.Where(p => p.Shell is not null).Take(100), p =>
        {
            Assert.Equal(FlatCoordinates.Bounds(p.Shell!), p.Bounds());
            Assert.Equal(p.AreaM2, EllipsoidalArea.OfGeometry(p.Geometry));
            Assert.Same(p.Shell, FlatCoordinates.Of(((Polygon)p.Geometry.GetGeometryN(0)).Shell.CoordinateSequence));
        });
        Assert.Contains(records.Parcels, p => p.Geometry.GetGeometryN(0) is Polygon { NumInteriorRings: > 0 });
        AssertSameParcels(features.Parcels, records.Parcels);
    }

    [Fact]
    public async Task CraftedFile_BothReaders_GiveTheSameProblems()
    {
        var path = WriteCrafted(Path.Combine(folder, "crafted.shp"), withBowtie: true);

        var (records, features) = await BothAsync(path, new ParcelImportOptions(), new ParcelImportOptions());

        Assert.Empty(records.Parcels);
        // The bow tie, the unknown code, the blank code, the overlap of the two shells in one record.
        Assert.Contains(records.Problems, p => p.Contains("自相交", StringComparison.Ordinal));
        Assert.Contains(records.Problems, p => p.Contains("9999", StringComparison.Ordinal));
        Assert.Equal(features.Problems, records.Problems);
    }

    [Fact]
    public async Task CraftedFile_Repaired_BothReaders_GiveTheSameParcelsAndRepairs()
    {
        var path = WriteCrafted(Path.Combine(folder, "repair.shp"), withBowtie: true, validCodes: true, islands: true);
        var (a, b) = (new ParcelImportOptions { Repair = true }, new ParcelImportOptions { Repair = true });

        var (records, features) = await BothAsync(path, a, b);

        Assert.NotEmpty(a.Repairs);
        Assert.Equal(b.Repairs.Select(r => r.ToString()), a.Repairs.Select(r => r.ToString()));
        Assert.Equal(features.Problems, records.Problems);
        AssertSameParcels(features.Parcels, records.Parcels);
    }

    [Fact]
    public async Task FieldTypes_BothReaders_KeepTheSameAttributes()
    {
        var path = WriteCrafted(Path.Combine(folder, "fields.shp"), withBowtie: false, validCodes: true, islands: true);

        var (records, features) = await BothAsync(path, new ParcelImportOptions(), new ParcelImportOptions());

        Assert.Empty(records.Problems);
        Assert.Equal(7, records.Parcels.Count);
        // Text with GBK, blanks, a date, a logical, whole and real numbers, and the flags.
        Assert.Contains(records.Parcels, p => p.AttributesJson!.Contains("\"备注\":\"村集体\"", StringComparison.Ordinal));
        Assert.Contains(records.Parcels, p => p.AttributesJson!.Contains("\"DCRQ\":\"2021-06-30\"", StringComparison.Ordinal));
        Assert.Contains(records.Parcels, p => p.AttributesJson!.Contains("\"DCRQ\":null", StringComparison.Ordinal));
        Assert.Contains(records.Parcels, p => p.IsPbf);
        AssertSameParcels(features.Parcels, records.Parcels);
    }

    [Fact]
    public async Task NumberThatIsNotOne_IsTheFeaturesProblem()
    {
        var path = WriteCrafted(Path.Combine(folder, "number.shp"), withBowtie: false, validCodes: true, islands: true);
        var dbf = Path.ChangeExtension(path, ".dbf");
        var table = DbfTable.Open(dbf, GeometryFiles.Gb18030);
        var column = table.Columns[table.IndexOf("TBMJ")];
        var bytes = File.ReadAllBytes(dbf);
        "12x.5"u8.CopyTo(bytes.AsSpan(table.HeaderLength + (2 * table.RecordLength) + column.Offset + column.Length - 5));
        File.WriteAllBytes(dbf, bytes);

        var outcome = await ReadAsync(GeometryFiles.OpenFeatures(path), new ParcelImportOptions());

        var problem = Assert.Single(outcome.Problems);
        Assert.Contains("第 3 个图斑", problem, StringComparison.Ordinal);
        Assert.Contains("TBMJ", problem, StringComparison.Ordinal);
        Assert.Contains("12x.5", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnclosedRing_IsTheFeaturesProblem_WhereTheFeatureReaderRefusesTheFile()
    {
        var path = WriteCrafted(Path.Combine(folder, "unclosed.shp"), withBowtie: false, validCodes: true, islands: true);
        // The third record (one ring): its last point moved a metre east, so the ring no longer closes.
        var shx = File.ReadAllBytes(Path.ChangeExtension(path, ".shx"));
        var record = 2 * System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(shx.AsSpan(100 + (8 * 2)));
        var shp = File.ReadAllBytes(path);
        var content = record + 8;
        var parts = BitConverter.ToInt32(shp, content + 36);
        var points = BitConverter.ToInt32(shp, content + 40);
        var lastX = content + 44 + (4 * parts) + (16 * (points - 1));
        BitConverter.GetBytes(BitConverter.ToDouble(shp, lastX) + 1).CopyTo(shp, lastX);
        File.WriteAllBytes(path, shp);

        var (records, features) = await BothAsync(path, new ParcelImportOptions(), new ParcelImportOptions());

        // The feature reader cannot read such a record at all; the block reader names the feature and the ring.
        Assert.Single(features.Problems);
        var problem = Assert.Single(records.Problems);
        Assert.Contains("第 3 个图斑", problem, StringComparison.Ordinal);
        Assert.Contains("闭合", problem, StringComparison.Ordinal);
    }

    private static void AssertSameParcels(IReadOnlyList<Parcel> expected, IReadOnlyList<Parcel> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.Equal((e.LandClass, e.IsPbf, e.IsHighStandard, e.LocationCode, e.AttributesJson), (a.LandClass, a.IsPbf, a.IsHighStandard, a.LocationCode, a.AttributesJson));
            Assert.Equal(e.AreaM2, a.AreaM2, 1e-9);
            var (ge, ga) = (e.Geometry.Copy(), a.Geometry.Copy());
            ge.Normalize();
            ga.Normalize();
            Assert.True(ge.EqualsExact(ga), $"parcel {i + 1}: {e.Geometry} / {a.Geometry}");
        }
    }

    private sealed record Outcome(IReadOnlyList<Parcel> Parcels, IReadOnlyList<string> Problems);

    private static async Task<(Outcome Records, Outcome Features)> BothAsync(string path, ParcelImportOptions recordOptions, ParcelImportOptions featureOptions)
    {
        var fast = GeometryFiles.OpenFeatures(path);
        Assert.NotNull(fast.Records);
        var slow = GeometryFiles.OpenFeatures(path) with { Records = null };
        return (await ReadAsync(fast, recordOptions), await ReadAsync(slow, featureOptions));
    }

    private static async Task<Outcome> ReadAsync(FeatureSource source, ParcelImportOptions options)
    {
        var parcels = new List<Parcel>();
        try
        {
            await foreach (var batch in ParcelImport.ReadAsync(source, options, cancellationToken: TestContext.Current.CancellationToken))
            {
                parcels.AddRange(batch);
            }

            return new(parcels, []);
        }
        catch (LayerImportRejectedException ex)
        {
            return new([], [.. ex.Problems.Select(p => p.ToString())]);
        }
    }

    /// <summary>
    /// Five records in EPSG:4528 side by side: a square with two holes, two shells in one record, a lone ring drawn
    /// counter-clockwise, a long strip, and a bow tie (or a fifth square), and the islands that fill the holes when
    /// asked for; every kind of DBF column.
    /// </summary>
    private static string WriteCrafted(string path, bool withBowtie, bool validCodes = false, bool islands = false)
    {
        var factory = new GeometryFactory(new PrecisionModel(), 4528);
        const double x0 = 40_500_000, y0 = 3_300_000;
        Polygon Square(double x, double y, double size, bool clockwise = true, params LinearRing[] holes)
        {
            Coordinate[] c = [new(x, y), new(x, y + size), new(x + size, y + size), new(x + size, y), new(x, y)];
            return factory.CreatePolygon(factory.CreateLinearRing(clockwise ? c : [.. c.Reverse()]), holes);
        }

        LinearRing Hole(double x, double y, double size)
        {
            Coordinate[] c = [new(x, y), new(x + size, y), new(x + size, y + size), new(x, y + size), new(x, y)];
            return factory.CreateLinearRing(c);
        }

        var strip = factory.CreatePolygon([.. Enumerable.Range(0, 60).Select(i => new Coordinate(x0 + 300 + (i * 2), y0 + ((i % 2) * 0.5)))
            .Concat(Enumerable.Range(0, 60).Reverse().Select(i => new Coordinate(x0 + 300 + (i * 2), y0 + 5 + ((i % 2) * 0.5))))
            .Append(new Coordinate(x0 + 300, y0))]);
        if (!strip.Shell.IsCCW)
        {
            strip = (Polygon)strip.Reverse();
        }

        strip = (Polygon)strip.Reverse();   // clockwise, as a shapefile stores a shell
        Geometry fifth = withBowtie
            ? factory.CreatePolygon([new(x0 + 600, y0), new(x0 + 650, y0 + 50), new(x0 + 650, y0), new(x0 + 600, y0 + 50), new(x0 + 600, y0)])
            : Square(x0 + 600, y0, 50);
        Geometry[] shapes =
        [
            Square(x0, y0, 100, true, Hole(x0 + 10, y0 + 10, 20), Hole(x0 + 50, y0 + 50, 30)),
            factory.CreateMultiPolygon([Square(x0 + 150, y0, 40), Square(x0 + 200, y0, 40)]),
            Square(x0 + 250, y0 + 100, 40, clockwise: false),
            strip,
            fifth,
            .. islands ? new Geometry[] { Square(x0 + 10, y0 + 10, 20), Square(x0 + 50, y0 + 50, 30) } : [],
        ];
        string[] codes = validCodes ? ["0101", "0102", "0201", "1006", "0103", "0702", "0702"] : ["0101", "9999", "", "1006", "0103"];

        var options = new ShapefileWriterOptions(ShapeType.Polygon)
        {
            Encoding = GeometryFiles.Gb18030,
            Projection = MosaicGenerator.Crs.ToWkt(),
        };
        options.AddCharacterField("DLBM", 5);
        options.AddCharacterField("备注", 20);
        options.AddNumericInt32Field("PBF");
        options.Fields.Add(new NetTopologySuite.IO.Esri.Dbf.Fields.DbfNumericDoubleField("TBMJ", 19, 2));
        options.AddNumericInt64Field("BSM");
        options.AddDateField("DCRQ");
        options.AddLogicalField("SFJS");
        options.AddFloatField("XS");
        using (var writer = Shapefile.OpenWrite(path, options))
        {
            for (var i = 0; i < shapes.Length; i++)
            {
                writer.Geometry = shapes[i];
                writer.Fields["DLBM"].Value = codes[i];
                writer.Fields["备注"].Value = i switch { 0 => "村集体", 1 => "", 2 => null, _ => " 空格 " };
                writer.Fields["PBF"].Value = i % 2;
                writer.Fields["TBMJ"].Value = i == 3 ? null : 1234.56 + i;
                writer.Fields["BSM"].Value = 3_301_100_000_000L + i;
                writer.Fields["DCRQ"].Value = i == 1 ? null : new DateTime(2021, 6, 30, 0, 0, 0, DateTimeKind.Unspecified);
                writer.Fields["SFJS"].Value = i switch { 0 => true, 1 => false, _ => null };
                writer.Fields["XS"].Value = i == 2 ? null : 0.1 * i;
                writer.Write();
            }
        }

        File.WriteAllText(Path.ChangeExtension(path, ".cpg"), "GBK", Encoding.ASCII);
        return path;
    }
}
