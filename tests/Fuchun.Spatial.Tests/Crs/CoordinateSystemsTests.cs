using Fuchun.Spatial.Crs;

namespace Fuchun.Spatial.Tests.Crs;

public sealed class CoordinateSystemsTests
{
    // As ArcGIS writes them into .prj files (ESRI WKT, no authority).
    private const string EsriCgcs2000Zone40 =
        """PROJCS["CGCS2000_3_Degree_GK_Zone_40",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",40500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    private const string EsriCgcs2000Cm120 =
        """PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    private const string EsriXian80Cm120 =
        """PROJCS["Xian_1980_3_Degree_GK_CM_120E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    private const string EsriBeijing54Zone40 =
        """PROJCS["Beijing_1954_3_Degree_GK_Zone_40",GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",40500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    private const string EsriCgcs2000Geographic =
        """GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""";

    [Theory]
    [InlineData(EsriCgcs2000Zone40, 4528)]
    [InlineData(EsriCgcs2000Cm120, 4549)]
    [InlineData(EsriXian80Cm120, 2385)]
    [InlineData(EsriBeijing54Zone40, 2416)]
    [InlineData(EsriCgcs2000Geographic, 4490)]
    public void FromWkt_EsriPrj_IsIdentified(string wkt, int epsg)
    {
        Assert.Equal(epsg, CoordinateSystems.FromWkt(wkt).Epsg);
    }

    [Fact]
    public void ToWkt_IsReadBackAsTheSameSystem_WithAndWithoutItsAuthority()
    {
        foreach (var crs in CoordinateSystems.All)
        {
            var wkt = crs.ToWkt();
            Assert.Equal(crs, CoordinateSystems.FromWkt(wkt));

            // Without the closing authority the definition's own parameters identify it (GK zones and datums).
            var bare = wkt[..wkt.LastIndexOf(",AUTHORITY", StringComparison.Ordinal)] + "]";
            var read = CoordinateSystems.FromWkt(bare);
            Assert.Equal((crs.Datum, crs.CentralMeridian, crs.FalseEasting), (read.Datum, read.CentralMeridian, read.FalseEasting));
        }
    }

    [Fact]
    public void FromWkt_UtmZone_IsRefusedNotGuessed()
    {
        const string utm50 = """PROJCS["WGS_1984_UTM_Zone_50N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

        var error = Assert.Throws<UnknownCoordinateSystemException>(() => CoordinateSystems.FromWkt(utm50));

        Assert.Contains("0.9996", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("""GEOGCS["Clarke",DATUM["x",SPHEROID["Clarke 1866",6378206.4,294.9786982]]]""")]
    [InlineData("""PROJCS["Lambert",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]]],PROJECTION["Lambert_Conformal_Conic"]]""")]
    public void FromWkt_Unidentifiable_Throws(string wkt)
    {
        Assert.Throws<UnknownCoordinateSystemException>(() => CoordinateSystems.FromWkt(wkt));
    }

    [Fact]
    public void All_HaveTheEpsgNumbering()
    {
        Assert.Equal(4 + (3 * 2 * 21), CoordinateSystems.All.Count);
        Assert.Equal(40_500_000, CoordinateSystems.Get(4528).FalseEasting);
        Assert.Equal(120, CoordinateSystems.Get(4549).CentralMeridian);
        Assert.Equal(Datum.Xian1980, CoordinateSystems.Get(2364).Datum);
        Assert.Equal(Datum.Beijing1954, CoordinateSystems.Get(2437).Datum);
        Assert.Throws<UnknownCoordinateSystemException>(() => CoordinateSystems.Get(32650));
    }
}
