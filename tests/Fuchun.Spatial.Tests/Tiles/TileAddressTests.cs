using Fuchun.Spatial.Tiles;

namespace Fuchun.Spatial.Tests.Tiles;

public sealed class TileAddressTests
{
    private const double R = 6378137;

    private static (double X, double Y) Mercator(double lon, double lat) =>
        (R * lon * Math.PI / 180, R * Math.Log(Math.Tan((Math.PI / 4) + (lat * Math.PI / 360))));

    [Theory]
    [InlineData(12, 3412, 1687)]
    [InlineData(16, 54600, 26994)]
    [InlineData(3, 6, 3)]
    public void BufferedEnvelope_IsTheTileWidenedByThatManyUnitsInWebMercator(int z, int x, int y)
    {
        var tile = new TileAddress(z, x, y);
        var span = 2 * Math.PI * R / (1 << z);
        var unit = span / 4096;
        var (left, top) = (-Math.PI * R + (x * span), Math.PI * R - (y * span));

        var env = tile.LonLatEnvelope(64);

        var (minX, minY) = Mercator(env.MinX, env.MinY);
        var (maxX, maxY) = Mercator(env.MaxX, env.MaxY);
        Assert.Equal(left - (64 * unit), minX, 1e-6);
        Assert.Equal(left + span + (64 * unit), maxX, 1e-6);
        Assert.Equal(top + (64 * unit), maxY, 1e-6);
        Assert.Equal(top - span - (64 * unit), minY, 1e-6);
        Assert.Equal(tile.LonLatEnvelope(), tile.LonLatEnvelope(0));
    }

    [Fact]
    public void Containing_FindsTheTileWhoseEnvelopeHoldsThePoint()
    {
        var tile = TileAddress.Containing(120.15, 30.27, 14);

        Assert.True(tile.LonLatEnvelope().Contains(120.15, 30.27));
        Assert.True(tile.IsValid);
    }

    [Theory]
    [InlineData(12, 3416, 1688)]
    [InlineData(16, 54571, 26992)]
    [InlineData(18, 218286, 107968)]
    public void CandidateBox_IsTheTileRoundedOutwardToTheNextFloats(int z, int x, int y)
    {
        var tile = new TileAddress(z, x, y);
        var exact = tile.LonLatEnvelope();

        var box = tile.CandidateBox();

        Assert.True(box.Contains(exact));
        foreach (var (rounded, value) in new[] { (box.MinX, exact.MinX), (box.MaxX, exact.MaxX), (box.MinY, exact.MinY), (box.MaxY, exact.MaxY) })
        {
            Assert.Equal(rounded, (float)rounded);
            Assert.True(Math.Abs(rounded - value) <= Math.Abs(MathF.BitIncrement((float)value) - (float)value), $"{rounded} from {value}");
        }

        // Longitudes of tile edges at these zooms are floats already: they stay.
        Assert.Equal(exact.MinX, box.MinX);
    }
}
