using System.Buffers;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.IO;
using Fuchun.Spatial.Validation;
using NetTopologySuite.Geometries;

namespace Fuchun.Spatial.Tests;

/// <summary>
/// A polygon without holes held as its shell's array alone (as an import holds most parcels) is written, measured
/// and checked exactly as the geometry made of that array.
/// </summary>
public sealed class FlatShellTests
{
    // Clockwise, as a shapefile has a shell; a few vertices off any grid.
    private static double[] Irregular() =>
        [119.3, 29.7, 119.2996, 29.7012, 119.3019, 29.7021, 119.3027, 29.7004, 119.3011, 29.6993, 119.3, 29.7];

    private static double[] Reversed(double[] xy) =>
        [.. Enumerable.Range(0, xy.Length / 2).Reverse().SelectMany(i => new[] { xy[2 * i], xy[(2 * i) + 1] })];

    public static TheoryData<bool> Orientations => [false, true];

    [Theory]
    [MemberData(nameof(Orientations))]
    public void Polygon_HoldsTheArrayAsItsShell_WithoutHoles(bool counterClockwise)
    {
        var shell = counterClockwise ? Reversed(Irregular()) : Irregular();

        var geometry = FlatCoordinates.Polygon(Cgcs2000.PackedFactory, shell);

        Assert.Equal(1, geometry.NumGeometries);
        var polygon = (Polygon)geometry.GetGeometryN(0);
        Assert.Equal(0, polygon.NumInteriorRings);
        Assert.Equal(Cgcs2000.Srid, geometry.SRID);
        Assert.True(FlatCoordinates.TryGet(polygon.Shell.CoordinateSequence, out var held));
        Assert.Same(shell, held);
        Assert.True(PolygonEwkb.CanWrite(geometry));
        Assert.True(geometry.IsValid);
    }

    [Theory]
    [MemberData(nameof(Orientations))]
    public void WriteShell_WritesTheBytesTheGeometrysWritersWrite(bool counterClockwise)
    {
        var shell = counterClockwise ? Reversed(Irregular()) : Irregular();
        var geometry = FlatCoordinates.Polygon(Cgcs2000.PackedFactory, shell);
        var bounds = FlatCoordinates.Bounds(shell);

        var (ewkb, expectedEwkb) = (new ArrayBufferWriter<byte>(), new ArrayBufferWriter<byte>());
        ewkb.Write("earlier"u8);
        var length = PolygonEwkb.WriteShell(shell, Cgcs2000.Srid, ewkb);
        PolygonEwkb.Write(geometry, expectedEwkb);
        Assert.Equal(expectedEwkb.WrittenCount, length);
        Assert.Equal(Convert.ToHexString(expectedEwkb.WrittenSpan), Convert.ToHexString(ewkb.WrittenSpan[7..]));

        var (blob, expectedBlob) = (new ArrayBufferWriter<byte>(), new ArrayBufferWriter<byte>());
        length = GeoPackageBlob.WriteShell(shell, Cgcs2000.Srid, bounds, blob);
        GeoPackageBlob.WritePolygons(geometry, FlatCoordinates.Bounds(geometry), expectedBlob);
        Assert.Equal(expectedBlob.WrittenCount, length);
        Assert.Equal(Convert.ToHexString(expectedBlob.WrittenSpan), Convert.ToHexString(blob.WrittenSpan));
        Assert.Equal(Convert.ToHexString(GeoPackageBlob.Write(geometry)), Convert.ToHexString(blob.WrittenSpan));
    }

    [Theory]
    [MemberData(nameof(Orientations))]
    public void OfShell_IsTheGeometrysArea_ToTheBit(bool counterClockwise)
    {
        var shell = counterClockwise ? Reversed(Irregular()) : Irregular();

        var area = EllipsoidalArea.OfShell(shell);

        Assert.Equal(EllipsoidalArea.OfGeometry(FlatCoordinates.Polygon(Cgcs2000.PackedFactory, shell)), area);
        Assert.InRange(area, 30_000, 90_000);   // within a box of some 300 m by 310 m
        Assert.Equal(0, EllipsoidalArea.OfShell([119.3, 29.7, 119.31, 29.7, 119.3, 29.7]));   // too short to enclose anything
    }

    [Fact]
    public void AddShell_ChecksAsAddingTheGeometryDoes()
    {
        // Two squares sharing an edge, the first given clockwise: an exact coverage either way.
        double[] left = [120, 30, 120, 30.001, 120.001, 30.001, 120.001, 30, 120, 30];
        double[] right = [120.001, 30, 120.002, 30, 120.002, 30.001, 120.001, 30.001, 120.001, 30];
        var shells = new CoverageChecker();
        shells.AddShell(1, left);
        shells.AddShell(2, right);
        var geometries = new CoverageChecker();
        geometries.Add(1, FlatCoordinates.Polygon(Cgcs2000.PackedFactory, left));
        geometries.Add(2, FlatCoordinates.Polygon(Cgcs2000.PackedFactory, right));

        Assert.Equal(geometries.PendingEdges, shells.PendingEdges);
        Assert.Equal(6, shells.PendingEdges);
        Assert.Empty(shells.Finish(Cgcs2000.Factory));

        // The same square twice overlaps itself.
        var twice = new CoverageChecker();
        twice.AddShell(1, left);
        twice.AddShell(2, Reversed(left));
        Assert.Contains(twice.Finish(Cgcs2000.Factory), d => d.Kind == CoverageDefectKind.Overlap && d.Feature == 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => twice.AddShell(0, left));
    }
}
