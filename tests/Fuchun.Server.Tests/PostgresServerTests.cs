using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fuchun.Server.Tests;

/// <summary>The same server on PostgreSQL/PostGIS (reference data only, no demo projects).</summary>
public sealed class PostgresBackedServer() : RunningServer(postgres: true, demo: false);

public sealed class PostgresServerTests(PostgresBackedServer server) : IClassFixture<PostgresBackedServer>
{
    [Fact]
    public async Task CreateAndMap_OnPostgis_Works()
    {
        var ct = TestContext.Current.CancellationToken;
        var (lon, lat) = GeoJsonSamples.InFuyang;
        var body = new JsonObject
        {
            ["code"] = "330111-2025-950",
            ["name"] = "富阳区 PostGIS 测试项目",
            ["districtCode"] = "330111",
            ["townshipCodes"] = new JsonArray("330111001"),
            ["projectArea"] = JsonNode.Parse(GeoJsonSamples.Square(lon, lat, 0.01)),
            ["zones"] = JsonNode.Parse(GeoJsonSamples.Zones(("Z1", "一号", GeoJsonSamples.Square(lon + 0.002, lat + 0.002, 0.004)))),
        };

        Assert.Equal(HttpStatusCode.Created, (await server.Client.PostAsJsonAsync("/api/projects", body, ct)).StatusCode);

        var list = await server.Client.GetFromJsonAsync<JsonElement>("/api/projects?district=330111", ct);
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        var map = await server.Client.GetFromJsonAsync<JsonElement>("/api/projects/330111-2025-950/map", ct);
        Assert.Equal(3, map.GetProperty("features").GetArrayLength());
        var districts = await server.Client.GetFromJsonAsync<JsonElement>("/api/districts", ct);
        Assert.Equal(13, districts.GetArrayLength());
    }
}
