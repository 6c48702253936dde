using System.Buffers;
using Fuchun.Spatial.IO;
using NetTopologySuite.Geometries;

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
}
