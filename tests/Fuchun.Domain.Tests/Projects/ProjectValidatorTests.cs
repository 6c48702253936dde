using Fuchun.Domain.Projects;
using Fuchun.Spatial.IO;
using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Tests.Projects;

public sealed class ProjectValidatorTests
{
    [Fact]
    public void ValidateDetails_ValidPilot_HasNoErrors()
    {
        Assert.Empty(ProjectValidator.ValidateDetails(ProjectLifecycleTests.ValidDetails()));
    }

    [Fact]
    public void ValidateDetails_PilotWithOneTownship_NamesTownshipField()
    {
        var details = ProjectLifecycleTests.ValidDetails() with { TownshipCodes = ["330111001"] };

        var error = Assert.Single(ProjectValidator.ValidateDetails(details));

        Assert.Equal("townshipCodes", error.Field);
        Assert.Contains("至少两个乡镇", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateDetails_UnknownDistrict_NamesTheCode()
    {
        var details = ProjectLifecycleTests.ValidDetails() with { DistrictCode = "339999", TownshipCodes = [], IsPilot = false };

        var error = Assert.Single(ProjectValidator.ValidateDetails(details));

        Assert.Equal("districtCode", error.Field);
        Assert.Contains("339999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateDetails_TownshipOfAnotherDistrict_IsRejected()
    {
        var details = ProjectLifecycleTests.ValidDetails() with { TownshipCodes = ["330111001", "330112001"] };

        var error = Assert.Single(ProjectValidator.ValidateDetails(details));

        Assert.Equal("townshipCodes", error.Field);
    }

    [Fact]
    public void ValidateDetails_MissingCodeAndName_ReportsBoth()
    {
        var details = ProjectLifecycleTests.ValidDetails() with { Code = " ", Name = "" };

        var fields = ProjectValidator.ValidateDetails(details).Select(e => e.Field).ToList();

        Assert.Equal(["code", "name"], fields);
    }

    [Fact]
    public void ValidateGeometry_ZoneOutsideArea_IsRejected()
    {
        var area = Square(120.0, 30.0, 0.01);
        var zone = Square(120.008, 30.0, 0.01);

        var error = Assert.Single(ProjectValidator.ValidateGeometry(area, [new ZoneInput("Z1", "一号", zone)]));

        Assert.Equal("zones[0].geometry", error.Field);
        Assert.Contains("项目区范围之外", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateGeometry_SelfIntersectingArea_IsRejected()
    {
        var bowTie = GeoJsonGeometryReader.ReadMultiPolygon(
            """{"type":"Polygon","coordinates":[[[120,30],[120.01,30.01],[120.01,30],[120,30.01],[120,30]]]}""");

        var error = Assert.Single(ProjectValidator.ValidateGeometry(bowTie, []));

        Assert.Equal("projectArea", error.Field);
        Assert.Contains("自相交", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateGeometry_ZoneInside_HasNoErrors()
    {
        var area = Square(120.0, 30.0, 0.01);
        var zone = Square(120.002, 30.002, 0.004);

        Assert.Empty(ProjectValidator.ValidateGeometry(area, [new ZoneInput("Z1", "一号", zone)]));
    }

    [Fact]
    public void ValidateGeometry_DuplicateZoneIds_IsRejected()
    {
        var area = Square(120.0, 30.0, 0.01);
        var zone = Square(120.002, 30.002, 0.002);
        var other = Square(120.006, 30.006, 0.002);

        var error = Assert.Single(ProjectValidator.ValidateGeometry(area, [new("Z1", "一", zone), new("Z1", "二", other)]));

        Assert.Equal("zones[1].zoneId", error.Field);
    }

    internal static MultiPolygon Square(double lon, double lat, double size) =>
        GeoJsonGeometryReader.ReadMultiPolygon(
            $$"""{"type":"Polygon","coordinates":[[[{{lon}},{{lat}}],[{{lon + size}},{{lat}}],[{{lon + size}},{{lat + size}}],[{{lon}},{{lat + size}}],[{{lon}},{{lat}}]]]}""");
}
