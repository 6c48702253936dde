using System.Globalization;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.Crs;
using Fuchun.Spatial.IO;
using Fuchun.Testing;
using Fuchun.Tests;
using Npgsql;

namespace Fuchun.Spatial.Tests.Crs;

/// <summary>PostGIS (with PROJ underneath) as the independent reference for projections, WKT and areas.</summary>
public sealed class PostgisReferenceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(await PostgresServer.CreateDatabaseAsync());
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS postgis", connection);
        await command.ExecuteNonQueryAsync(Ct);
        return connection;
    }

    [Fact]
    public async Task FromWkt_EveryKnownSystem_MatchesPostgisDefinition()
    {
        await using var connection = await OpenAsync();
        foreach (var crs in CoordinateSystems.All)
        {
            await using var command = new NpgsqlCommand("SELECT srtext FROM spatial_ref_sys WHERE srid = @srid", connection);
            command.Parameters.AddWithValue("srid", crs.Epsg);
            var srtext = (string)(await command.ExecuteScalarAsync(Ct))!;

            Assert.Equal(crs.Epsg, CoordinateSystems.FromWkt(srtext).Epsg);
            // Without its EPSG authority the definition is still identified, by ellipsoid and projection parameters.
            var bare = System.Text.RegularExpressions.Regex.Replace(srtext, @",\s*AUTHORITY\[""EPSG"",""\d+""\]", "");
            Assert.Equal(crs.Epsg, CoordinateSystems.FromWkt(bare).Epsg);
        }
    }

    [Theory]
    [InlineData(4490, 4549)]
    [InlineData(4490, 4528)]
    [InlineData(4490, 4527)]
    [InlineData(4610, 2385)]
    [InlineData(4214, 2416)]
    public async Task GaussKruger_Forward_AgreesWithPostgisWithinAMillimetre(int geographic, int projected)
    {
        await using var connection = await OpenAsync();
        var projection = CoordinateSystems.Get(projected).Projection();
        var cm = CoordinateSystems.Get(projected).CentralMeridian!.Value;
        // Points across Hangzhou's latitudes and across the zone, out to 1.5° from the central meridian.
        foreach (var lat in new[] { 29.1, 29.7, 30.25, 30.6 })
        {
            foreach (var dLon in new[] { -1.5, -0.7, 0.0, 0.33, 1.1, 1.5 })
            {
                var lon = cm + dLon;
                await using var command = new NpgsqlCommand(
                    "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(@lon, @lat), @g), @p) AS p) q", connection);
                command.Parameters.AddWithValue("lon", lon);
                command.Parameters.AddWithValue("lat", lat);
                command.Parameters.AddWithValue("g", geographic);
                command.Parameters.AddWithValue("p", projected);
                await using var reader = await command.ExecuteReaderAsync(Ct);
                await reader.ReadAsync(Ct);
                var (x, y) = projection.Forward(lon, lat);
                Assert.True(Math.Abs(x - reader.GetDouble(0)) < 1e-3 && Math.Abs(y - reader.GetDouble(1)) < 1e-3,
                    string.Create(CultureInfo.InvariantCulture, $"EPSG:{projected} at {lon},{lat}: ours {x},{y} vs PostGIS {reader.GetDouble(0)},{reader.GetDouble(1)}"));
                var (lon2, lat2) = projection.Inverse(x, y);
                Assert.True(Math.Abs(lon2 - lon) < 1e-10 && Math.Abs(lat2 - lat) < 1e-10);
            }
        }
    }

    [Theory]
    [InlineData("at_invekos_schlaege_2025_sample100.geojson")]
    [InlineData("si_eurocrops_2021_sample100.geojson")]
    [InlineData("de_bb_antrag_sample100.geojson")]
    [InlineData("pt_ifap_culturas_aveiro_sample100.geojson")]
    public async Task Area_RealParcels_AgreesWithPostgisGeographyArea(string file)
    {
        await using var connection = await OpenAsync();
        var geometries = GeoJsonGeometryReader.ReadGeometries(await File.ReadAllTextAsync(SharedData.PathOf("data", "parcels", file), Ct));
        var wgs84 = CoordinateSystems.Get(4326);
        var writer = new NetTopologySuite.IO.WKTWriter();
        var compared = 0;
        foreach (var g in geometries.Where(g => LongestEdgeM(g) < 300))
        {
            await using var command = new NpgsqlCommand("SELECT ST_Area(ST_GeomFromText(@wkt, 4326)::geography, true)", connection);
            command.Parameters.AddWithValue("wkt", writer.Write(g));
            var postgis = (double)(await command.ExecuteScalarAsync(Ct))!;
            var ours = EllipsoidalArea.OfGeometry(g, wgs84);
            // Issue 3: parcels with edges under 300 m agree within 1e-5 relative or 0.5 m², whichever is larger.
            Assert.True(Math.Abs(ours - postgis) <= Math.Max(1e-5 * postgis, 0.5),
                string.Create(CultureInfo.InvariantCulture, $"{file}: ours {ours} m² vs PostGIS {postgis} m²"));
            compared++;
        }

        Assert.True(compared >= 20, $"{file}: only {compared} parcels have all edges under 300 m");
    }

    /// <summary>The longest edge, in metres, by a local flat approximation (enough to pick parcels by size).</summary>
    private static double LongestEdgeM(NetTopologySuite.Geometries.Geometry g)
    {
        var c = g.Coordinates;
        double longest = 0;
        for (var i = 0; i + 1 < c.Length; i++)
        {
            var dx = (c[i + 1].X - c[i].X) * 111_320 * Math.Cos(c[i].Y * Math.PI / 180);
            var dy = (c[i + 1].Y - c[i].Y) * 110_574;
            longest = Math.Max(longest, Math.Sqrt((dx * dx) + (dy * dy)));
        }

        return longest;
    }
}
