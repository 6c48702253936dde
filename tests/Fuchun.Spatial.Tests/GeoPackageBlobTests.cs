using System.Buffers;
using Fuchun.Spatial.IO;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Fuchun.Spatial.Tests;

public sealed class GeoPackageBlobTests
{
    private static readonly GeometryFactory Packed = Cgcs2000.PackedFactory;

    private static Polygon Box(double x, double y, double size, params LinearRing[] holes) => Packed.CreatePolygon(
        Packed.CreateLinearRing([new(x, y), new(x + size, y), new(x + size, y + size), new(x, y + size), new(x, y)]), holes);

    private static LinearRing Hole(double x, double y) =>
        Packed.CreateLinearRing([new(x, y), new(x, y + 0.0001), new(x + 0.0001, y + 0.0001), new(x + 0.0001, y), new(x, y)]);

    public static TheoryData<string> Shapes => ["one box", "holes", "two parts", "irregular"];

    private static MultiPolygon Shape(string name) => name switch
    {
        "one box" => Packed.CreateMultiPolygon([Box(120.0, 30.0, 0.001)]),
        "holes" => Packed.CreateMultiPolygon([Box(120.01, 30.0, 0.001, Hole(120.0102, 30.0002), Hole(120.0105, 30.0005))]),
        // The second part lies west and north of the first: the bounds come from both.
        "two parts" => Packed.CreateMultiPolygon([Box(120.02, 30.0, 0.001), Box(120.0185, 30.0012, 0.0005)]),
        "irregular" => Packed.CreateMultiPolygon([Packed.CreatePolygon(
            [new(119.3, 29.7), new(119.3011, 29.6993), new(119.3027, 29.7004), new(119.3019, 29.7021), new(119.2996, 29.7012), new(119.3, 29.7)])]),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void WritePolygons_WritesTheBytesOfTheGeneralWriter_AndTheGeometrysBounds(string shape)
    {
        var geometry = Shape(shape);
        Assert.True(PolygonEwkb.CanWrite(geometry));
        var output = new ArrayBufferWriter<byte>();
        output.Write("earlier"u8);

        var bounds = FlatCoordinates.Bounds(geometry);
        var length = GeoPackageBlob.WritePolygons(geometry, bounds, output);

        var expected = GeoPackageBlob.Write(geometry);
        Assert.Equal(expected.Length, length);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(output.WrittenSpan[7..]));
        var envelope = geometry.EnvelopeInternal;
        Assert.Equal((envelope.MinX, envelope.MaxX, envelope.MinY, envelope.MaxY), bounds);
        var read = GeoPackageBlob.ReadMultiPolygon(output.WrittenSpan[7..].ToArray());
        Assert.True(read.EqualsExact(geometry));
        Assert.Equal(Cgcs2000.Srid, read.SRID);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ReadFlatMultiPolygon_HoldsTheRingsFlat_AndReadsWhatTheGeneralReaderReads(string shape)
    {
        var blob = GeoPackageBlob.Write(Shape(shape));

        var flat = GeoPackageBlob.ReadFlatMultiPolygon(blob);

        Assert.True(PolygonEwkb.CanWrite(flat));
        Assert.True(flat.EqualsExact(GeoPackageBlob.ReadMultiPolygon(blob)));
        Assert.Equal(Cgcs2000.Srid, flat.SRID);
    }

    [Fact]
    public void Bounds_OfNoPoints_IsNaN_AndOfPointsTheirBox()
    {
        Assert.True(double.IsNaN(FlatCoordinates.Bounds([]).MinX));
        Assert.Equal((1.0, 5.0, -2.0, 4.0), FlatCoordinates.Bounds([3, 4, 1, -2, 5, 0]));
        var empty = FlatCoordinates.Bounds(Packed.CreateMultiPolygon());
        Assert.True(empty.MinX > empty.MaxX && empty.MinY > empty.MaxY);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TryRead_ReadsIsoAndExtendedWkb_AsTheGeneralReaderDoes_WithFlatRings(string shape)
    {
        var geometry = Shape(shape);
        var iso = new WKBWriter(ByteOrder.LittleEndian, handleSRID: false, emitZ: false).Write(geometry);
        var extended = new ArrayBufferWriter<byte>();
        PolygonEwkb.Write(geometry, extended);
        var other = new GeometryFactory(new PrecisionModel(), 4326, Packed.CoordinateSequenceFactory);

        Assert.True(PolygonEwkb.TryRead(iso, other, out var fromIso));
        Assert.True(PolygonEwkb.TryRead(extended.WrittenSpan, other, out var fromExtended));

        var expected = new WKBReader().Read(iso);
        Assert.True(fromIso.EqualsExact(expected));
        Assert.True(fromExtended.EqualsExact(expected));
        Assert.True(PolygonEwkb.CanWrite(fromIso));
        Assert.Equal(4326, fromIso.SRID);                 // the factory's, the bytes carrying none
        Assert.Equal(Cgcs2000.Srid, fromExtended.SRID);   // the bytes'
    }

    [Fact]
    public void TryRead_TakesAPolygonAsAMultipolygonOfOne_AndLeavesEverythingElseToTheGeneralReader()
    {
        var polygon = Box(120.0, 30.0, 0.001);
        Assert.True(PolygonEwkb.TryRead(new WKBWriter().Write(polygon), Packed, out var one));
        Assert.True(one.EqualsExact(Packed.CreateMultiPolygon([polygon])));

        var multi = Shape("holes");
        var bigEndian = new WKBWriter(ByteOrder.BigEndian).Write(multi);
        var withZ = new WKBWriter(ByteOrder.LittleEndian, handleSRID: false, emitZ: true).Write(
            Cgcs2000.Factory.CreateMultiPolygon([Cgcs2000.Factory.CreatePolygon([new CoordinateZ(120, 30, 1), new CoordinateZ(120.1, 30, 1), new CoordinateZ(120.1, 30.1, 1), new CoordinateZ(120, 30, 1)])]));
        var line = new WKBWriter().Write(Packed.CreateLineString([new(120, 30), new(120.1, 30.1)]));
        var whole = new WKBWriter().Write(multi);
        foreach (var bytes in new[] { bigEndian, withZ, line, whole[..^8], whole[..20], Array.Empty<byte>() })
        {
            Assert.False(PolygonEwkb.TryRead(bytes, Packed, out _));
        }

        // A GeoPackage blob the fast path does not take is still read, by NetTopologySuite's reader.
        var blob = new GeoPackageGeoWriter { HandleOrdinates = Ordinates.XY }.Write(multi);
        blob[3] &= 0xFE;   // big-endian header, as another writer may make it
        Array.Reverse(blob, 4, 4);
        Assert.True(GeoPackageBlob.ReadFlatMultiPolygon(blob).EqualsExact(multi));
    }
}
