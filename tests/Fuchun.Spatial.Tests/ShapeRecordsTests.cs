using System.Buffers.Binary;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.Crs;
using Fuchun.Spatial.IO;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace Fuchun.Spatial.Tests;

/// <summary>The block reader behind <c>fuchun area</c>: the same records in any block size, bad records named in file order.</summary>
public sealed class ShapeRecordsTests : IDisposable
{
    private static readonly CoordinateSystem Zone40 = CoordinateSystems.Get(4528);

    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("fuchun-records-");

    public void Dispose() => dir.Delete(recursive: true);

    /// <summary>
    /// Sixty parcels in EPSG:4528: small quadrilaterals, every seventh with a hole, every eleventh in two parts, and
    /// one outline of 2 000 vertices (32 KB, larger than the small blocks below).
    /// </summary>
    private string Parcels(string name)
    {
        var projection = Zone40.Projection();
        var factory = new GeometryFactory(new PrecisionModel(), Zone40.Epsg);
        LinearRing Ring(IEnumerable<(double Lon, double Lat)> lonLat) =>
            factory.CreateLinearRing([.. lonLat.Select(p => projection.Forward(p.Lon, p.Lat)).Select(p => new Coordinate(p.X, p.Y))]);
        LinearRing Box(double lon, double lat, double size, bool clockwise) => Ring(clockwise
            ? [(lon, lat), (lon, lat + size), (lon + size, lat + size), (lon + size, lat), (lon, lat)]
            : [(lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat)]);

        var features = new List<IFeature>();
        for (var i = 0; i < 60; i++)
        {
            double lon = 119.5 + (i % 10 * 0.01), lat = 30.0 + (i / 10 * 0.01);
            Geometry geometry = i switch
            {
                30 => factory.CreatePolygon(Ring(Enumerable.Range(0, 2001).Select(k =>
                {
                    var t = 2 * Math.PI * (k % 2000) / 2000;
                    return (lon + 0.004 + (0.003 * Math.Cos(t)), lat + 0.004 + (0.002 * Math.Sin(t)));
                }))),
                _ when i % 11 == 0 => factory.CreateMultiPolygon([
                    factory.CreatePolygon(Box(lon, lat, 0.003, clockwise: true)),
                    factory.CreatePolygon(Box(lon + 0.005, lat, 0.002, clockwise: true))]),
                _ when i % 7 == 0 => factory.CreatePolygon(Box(lon, lat, 0.004, clockwise: true), [Box(lon + 0.001, lat + 0.001, 0.001, clockwise: false)]),
                _ => factory.CreatePolygon(Box(lon, lat, 0.001 + (i * 0.0001), clockwise: true)),
            };
            features.Add(new Feature(geometry, new AttributesTable { { "DLBM", "0101" } }));
        }

        var path = Path.Combine(dir.FullName, name + ".shp");
        FeatureFileWriter.Write(path, name, features, [new FeatureField("DLBM", FieldKind.Text, 4)], Zone40);
        return path;
    }

    private static double[] Areas(string path, int blockBytes)
    {
        var records = GeometryFiles.OpenShapeRecords(path);
        records.BlockBytes = blockBytes;
        var measure = EllipsoidalArea.For(records.Crs);
        return [.. records.MapBlocks(r => r.IsPolygon ? measure.OfRings(r.Xy, r.Parts) : double.NaN).SelectMany(block => block)];
    }

    /// <summary>Rewrites the .shp with <paramref name="patch"/> applied to its bytes (given what it returns).</summary>
    private static void Patch(string shp, Func<byte[], byte[]> patch) => File.WriteAllBytes(shp, patch(File.ReadAllBytes(shp)));

    /// <summary>Record <paramref name="index"/>'s content offset in the .shp, from the .shx.</summary>
    private static int ContentOffset(string shp, int index)
    {
        var shx = File.ReadAllBytes(Path.ChangeExtension(shp, ".shx"));
        return (2 * BinaryPrimitives.ReadInt32BigEndian(shx.AsSpan(100 + (8 * index)))) + 8;
    }

    [Theory]
    [InlineData(16 << 20)]
    [InlineData(4096)]
    [InlineData(300)]
    public void Map_InAnyBlockSize_GivesTheGeometryReadersAreas(int blockBytes)
    {
        var path = Parcels("mixed");
        var expected = GeometryFiles.ReadFeatures(path).Features.Select(f => EllipsoidalArea.OfGeometry(f.Geometry, Zone40)).ToArray();

        var areas = Areas(path, blockBytes);

        Assert.Equal(60, areas.Length);
        Assert.Equal(expected, areas, (a, b) => Math.Abs(a - b) <= 1e-6);
    }

    [Fact]
    public void Map_RingStartsOutOfOrder_NamesTheRecord()
    {
        var path = Parcels("parts");
        // Record 12 (index 11) has two parts; make the second start beyond its points.
        Patch(path, bytes =>
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(ContentOffset(path, 11) + 48), 1000);
            return bytes;
        });

        var error = Assert.Throws<SpatialInputException>(() => Areas(path, 4096));

        Assert.Contains("parts.shp", error.Message, StringComparison.Ordinal);
        Assert.Contains("第 12 个要素", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_TwoRecordsOutOfRange_NamesTheFirstInFileOrder()
    {
        var path = Parcels("range");
        // The first x of records 5 and 48 (one-part records, in different blocks), 900 km off the meridian.
        Patch(path, bytes =>
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(ContentOffset(path, 47) + 48), 41_400_000);
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(ContentOffset(path, 4) + 48), 41_400_000);
            return bytes;
        });

        var error = Assert.Throws<SpatialInputException>(() => Areas(path, 300));

        Assert.Contains("第 5 个要素", error.Message, StringComparison.Ordinal);
        Assert.Contains("超出 EPSG:4528", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_FileCutInARecord_IsRefusedNamingTheFile()
    {
        var path = Parcels("cut");
        // Cut inside the last record and make the header's length agree, as a careless tool would.
        var length = ContentOffset(path, 59) + 20;
        Patch(path, bytes =>
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(24), length / 2);
            return bytes[..length];
        });

        var error = Assert.Throws<SpatialInputException>(() => Areas(path, 4096));

        Assert.Contains("cut.shp", error.Message, StringComparison.Ordinal);
        Assert.Contains("60 条记录中只读出 59 条", error.Message, StringComparison.Ordinal);
    }
}
