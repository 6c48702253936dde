using Fuchun.Spatial.IO;
using Fuchun.Spatial.Validation;

namespace Fuchun.Spatial.Tests;

public sealed class ValidationAndGeoJsonTests
{
    [Fact]
    public void Validate_BowTie_IsSelfIntersection()
    {
        var bowTie = GeoJsonGeometryReader.ReadMultiPolygon(
            """{"type":"Polygon","coordinates":[[[120,30],[120.01,30.01],[120.01,30],[120,30.01],[120,30]]]}""");

        var problem = PolygonValidator.Validate(bowTie);

        Assert.NotNull(problem);
        Assert.Equal(GeometryProblemKind.SelfIntersection, problem.Kind);
        Assert.NotNull(problem.Location);
    }

    [Fact]
    public void Validate_SimpleSquare_HasNoProblem()
    {
        var square = GeoJsonGeometryReader.ReadMultiPolygon(
            """{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[120,30],[120.01,30],[120.01,30.01],[120,30.01],[120,30]]]}}""");

        Assert.Null(PolygonValidator.Validate(square));
        Assert.Equal(Cgcs2000.Srid, square.SRID);
    }

    [Fact]
    public void Validate_LatitudeBeyondNinety_IsOutsideRange()
    {
        var bad = GeoJsonGeometryReader.ReadMultiPolygon(
            """{"type":"Polygon","coordinates":[[[120,89],[120.01,89],[120.01,91],[120,89]]]}""");

        Assert.Equal(GeometryProblemKind.OutsideRange, PolygonValidator.Validate(bad)?.Kind);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"no":"type"}""")]
    [InlineData("""{"type":"Point","coordinates":[120,30]}""")]
    [InlineData("""{"type":"Polygon","coordinates":[[[120,30],[120.01,30],[120.01,30.01]]]}""")]
    public void ReadMultiPolygon_BadInput_ThrowsFormatException(string text)
    {
        Assert.Throws<GeoJsonFormatException>(() => GeoJsonGeometryReader.ReadMultiPolygon(text));
    }
}
