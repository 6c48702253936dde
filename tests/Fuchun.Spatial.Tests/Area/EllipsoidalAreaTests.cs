using System.Globalization;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.Crs;
using Fuchun.Tests;
using NetTopologySuite.Geometries;

namespace Fuchun.Spatial.Tests.Area;

public sealed class EllipsoidalAreaTests
{
    public static TheoryData<string, double, double, double, double, double> MapSheets()
    {
        var data = new TheoryData<string, double, double, double, double, double>();
        foreach (var c in SharedData.TsvRows("geodesy", "map_sheet_theoretical_area_cgcs2000_computed.tsv"))
        {
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
    public void Series_ToTheRegulationsOrder_HasTheRegulationsCoefficients()
    {
        // TD/T 1055 prints A–E for the ellipsoid's e²; the general term must reproduce them.
        var e2 = Ellipsoid.Cgcs2000.EccentricitySquared;
        double e4 = e2 * e2, e6 = e4 * e2, e8 = e6 * e2;
        double[] printed =
        [
            1 + (3.0 / 6 * e2) + (30.0 / 80 * e4) + (35.0 / 112 * e6) + (630.0 / 2304 * e8),
            (1.0 / 6 * e2) + (15.0 / 80 * e4) + (21.0 / 112 * e6) + (420.0 / 2304 * e8),
            (3.0 / 80 * e4) + (7.0 / 112 * e6) + (180.0 / 2304 * e8),
            (1.0 / 112 * e6) + (45.0 / 2304 * e8),
            5.0 / 2304 * e8,
        ];

        var general = EllipsoidalArea.TrapezoidSeries.Coefficients(e2, 4);

        for (var j = 0; j < printed.Length; j++)
        {
            Assert.Equal(printed[j], general[j], 1e-17);
        }
    }

    [Theory]
    [InlineData(4549)]
    [InlineData(4528)]
    public void OfGeometry_ProjectedInput_EqualsTheGeographicArea(int epsg)
    {
        var crs = CoordinateSystems.Get(epsg);
        var projection = crs.Projection();
        var lonLat = Parcel(120.13, 30.27);
        var projected = CoordinateMap.Apply(lonLat, LocalFrameFactory, projection.Forward);

        Assert.Equal(EllipsoidalArea.OfGeometry(lonLat), EllipsoidalArea.OfGeometry(projected, crs), 1e-6);
    }

    [Fact]
    public void PlanarGaussKrugerArea_AtTheZoneEdge_IsNotTheSurveyArea()
    {
        // The same 2 亩-sized parcel on the central meridian and 1.5° away from it, in EPSG:4549 (CM 120°E).
        var crs = CoordinateSystems.Get(4549);
        double Relative(double lon)
        {
            var parcel = Parcel(lon, 30.0);
            var projected = CoordinateMap.Apply(parcel, LocalFrameFactory, crs.Projection().Forward);
            var survey = EllipsoidalArea.OfGeometry(parcel);
            return (projected.Area - survey) / survey;
        }

        Assert.InRange(Math.Abs(Relative(120.0)), 0, 1e-7);
        // Scale k ≈ 1 + (Δλ·cosφ)²/2, so area grows by ≈ (Δλ·cosφ)² ≈ 5.1e-4 at 1.5° off the meridian at 30°N.
        Assert.InRange(Relative(121.5), 4.5e-4, 5.7e-4);
    }

    [Fact]
    public void OfGeometry_MedfordLot_MatchesPostgisSpheroidArea()
    {
        // PostGIS liblwgeom's test value (WGS 84 spheroid, geodesic edges): 89.868413479 m², edges of about 10 m.
        var lot = Cgcs2000.Factory.CreatePolygon(
        [
            new(-122.848227067007, 42.5007249610493), new(-122.848309475585, 42.5007179884263),
            new(-122.848327688675, 42.500835880696), new(-122.848245279942, 42.5008428533324),
            new(-122.848227067007, 42.5007249610493),
        ]);

        Assert.Equal(89.868413479309585, EllipsoidalArea.OfGeometry(lot, CoordinateSystems.Get(4326)), 1e-4);
    }

    [Fact]
    public void OfGeometry_HangzhouDistricts_MatchGeographicLibWithinTenMillionths()
    {
        // Reference: GeographicLib on the DataV district polygons (their coordinates as given), CGCS2000 ellipsoid.
        var expected = SharedData.TsvRows("geodesy", "hangzhou_districts_area_check_computed.tsv")
            .ToDictionary(c => c[0], c => double.Parse(c[4], CultureInfo.InvariantCulture));
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(SharedData.PathOf("data", "hangzhou", "330100_full.datav_v3.geojson")));
        var compared = 0;
        foreach (var feature in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            var code = feature.GetProperty("properties").GetProperty("adcode").ToString();
            var geometry = IO.GeoJsonGeometryReader.ReadMultiPolygon(feature.GetProperty("geometry").GetRawText());
            var area = EllipsoidalArea.OfGeometry(geometry);
            Assert.True(Math.Abs(area - expected[code]) / expected[code] < 1e-5, $"{code}: {area} vs {expected[code]}");
            compared++;
        }

        Assert.Equal(13, compared);
    }

    private static Polygon Parcel(double lon, double lat) => Cgcs2000.Factory.CreatePolygon(
    [
        new(lon, lat), new(lon + 0.0004, lat + 0.00005), new(lon + 0.00035, lat + 0.0003), new(lon - 0.00005, lat + 0.00028), new(lon, lat),
    ]);

    private static GeometryFactory LocalFrameFactory => Generation.LocalFrame.MetricFactory;

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
