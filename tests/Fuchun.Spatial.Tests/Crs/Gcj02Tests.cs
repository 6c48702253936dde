using System.Globalization;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.Crs;
using Fuchun.Spatial.IO;
using Fuchun.Tests;

namespace Fuchun.Spatial.Tests.Crs;

public sealed class Gcj02Tests
{
    [Theory]
    [InlineData(120.15, 30.28)]
    [InlineData(118.9, 29.6)]
    [InlineData(119.5, 30.1)]
    public void ToWgs84_InvertsTheForwardFormula(double lon, double lat)
    {
        var (wLon, wLat) = Gcj02.ToWgs84(lon, lat);
        var (gLon, gLat) = Gcj02.FromWgs84(wLon, wLat);

        Assert.Equal(lon, gLon, 1e-9);
        Assert.Equal(lat, gLat, 1e-9);
        // In Hangzhou the GCJ-02 offset is a few hundred metres.
        Assert.InRange(Math.Abs(lon - wLon) * 96_000, 300, 700);
    }

    [Fact]
    public void ToWgs84_OutsideChina_ChangesNothing()
    {
        Assert.Equal((2.35, 48.85), Gcj02.ToWgs84(2.35, 48.85));
    }

    [Fact]
    public void ReadFeatures_DataVDistrictsAsGcj02_GiveGeographicLibsConvertedAreas()
    {
        // Reference: GeographicLib on the DataV districts after the same public GCJ-02 → WGS 84 inversion.
        var expected = SharedData.TsvRows("geodesy", "hangzhou_districts_area_check_computed.tsv")
            .ToDictionary(c => c[0], c => double.Parse(c[5], CultureInfo.InvariantCulture));

        var layer = GeometryFiles.ReadFeatures(SharedData.PathOf("data", "hangzhou", "330100_full.datav_v3.geojson"), gcj02: true);

        Assert.Equal(13, layer.Features.Count);
        foreach (var feature in layer.Features)
        {
            var code = feature.Attributes["adcode"].ToString()!;
            var area = EllipsoidalArea.OfGeometry(feature.Geometry);
            Assert.True(Math.Abs(area - expected[code]) / expected[code] < 1e-5, $"{code}: {area} vs {expected[code]}");
        }
    }

    [Fact]
    public void ReadFeatures_Gcj02OnProjectedData_IsRefused()
    {
        var dir = Directory.CreateTempSubdirectory("fuchun-gcj-");
        try
        {
            var path = Path.Combine(dir.FullName, "projected.geojson");
            File.WriteAllText(path, """{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4549"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[400000,3300000],[400100,3300000],[400100,3300100],[400000,3300000]]]}}]}""");

            Assert.Throws<SpatialInputException>(() => GeometryFiles.ReadFeatures(path, gcj02: true));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
