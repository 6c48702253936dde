using System.Globalization;
using Fuchun.Spatial.Area;
using Fuchun.Tests;
using NetTopologySuite.Geometries;

namespace Fuchun.Spatial.Tests.Area;

public sealed class EllipsoidalAreaTests
{
    public static TheoryData<string, double, double, double, double, double> MapSheets()
    {
        var data = new TheoryData<string, double, double, double, double, double>();
        foreach (var line in File.ReadLines(SharedData.PathOf("data", "geodesy", "map_sheet_theoretical_area_cgcs2000_computed.tsv")))
        {
            if (line.StartsWith('#') || line.StartsWith("sheet", StringComparison.Ordinal))
            {
                continue;
            }

            var c = line.Split('\t');
            double D(int i) => double.Parse(c[i], CultureInfo.InvariantCulture);
            data.Add(c[0], D(1), D(2), D(3), D(4), D(5));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MapSheets))]
    public void OfGeometry_GraticuleMapSheet_EqualsTheoreticalArea(string sheet, double latS, double latN, double lonW, double lonE, double expectedM2)
    {
        // The table rounds corner latitudes to 1e-10°, so rebuild exact sheet corners from the sheet's size.
        latN = latS + (Math.Round((latN - latS) * 3600 * 8) / (3600 * 8));
        lonE = lonW + (Math.Round((lonE - lonW) * 3600 * 8) / (3600 * 8));
        var sheetPolygon = Cgcs2000.Factory.CreatePolygon(
        [
            new(lonW, latS), new(lonE, latS), new(lonE, latN), new(lonW, latN), new(lonW, latS),
        ]);

        var area = EllipsoidalArea.OfGeometry(sheetPolygon);

        Assert.True(Math.Abs(area - expectedM2) <= 0.01, $"{sheet}: {area} vs {expectedM2}");
    }

    [Fact]
    public void OfGeometry_PolygonWithHole_SubtractsHole()
    {
        var shell = Square(120.0, 30.0, 0.01);
        var hole = Square(120.004, 30.004, 0.002);
        var withHole = Cgcs2000.Factory.CreatePolygon(shell.Shell, [hole.Shell]);

        var area = EllipsoidalArea.OfGeometry(withHole);

        Assert.Equal(EllipsoidalArea.OfGeometry(shell) - EllipsoidalArea.OfGeometry(hole), area, 6);
    }

    [Fact]
    public void OfRing_ClockwiseRing_IsNegative()
    {
        var ccw = Square(120.0, 30.0, 0.01).Shell;
        var cw = (LinearRing)ccw.Reverse();

        Assert.True(EllipsoidalArea.OfRing(ccw.CoordinateSequence) > 0);
        Assert.Equal(-EllipsoidalArea.OfRing(ccw.CoordinateSequence), EllipsoidalArea.OfRing(cw.CoordinateSequence), 6);
    }

    [Fact]
    public void AreaUnits_OneMu_IsTenThousandFifteenthsSquareMetres()
    {
        Assert.Equal(1.0, AreaUnits.ToMu(10000.0 / 15.0), 12);
        Assert.Equal(15.0, AreaUnits.ToMu(10000.0), 12);
        Assert.Equal(1.0, AreaUnits.ToHectares(10000.0), 12);
    }

    private static Polygon Square(double lon, double lat, double size) => Cgcs2000.Factory.CreatePolygon(
    [
        new(lon, lat), new(lon + size, lat), new(lon + size, lat + size), new(lon, lat + size), new(lon, lat),
    ]);
}
