using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fuchun.Server.Tests;

public sealed class ProjectApiTests(DemoServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client => server.Client;

    private static JsonObject NewProject(string code, bool pilot = true, string? area = null, string? zones = null)
    {
        var (lon, lat) = GeoJsonSamples.InFuyang;
        var body = new JsonObject
        {
            ["code"] = code,
            ["name"] = "富阳区测试跨乡镇土地综合整治试点项目",
            ["districtCode"] = "330111",
            ["townshipCodes"] = pilot ? new JsonArray("330111001", "330111002") : new JsonArray("330111001"),
            ["isPilot"] = pilot,
            ["approvedOn"] = "2025-04-01",
            ["investmentMode"] = "FinancingEpc",
            ["fundingSources"] = new JsonArray("City", "SpecialBonds"),
            ["plannedInvestmentWanYuan"] = 8000.5,
            ["projectArea"] = JsonNode.Parse(area ?? GeoJsonSamples.Square(lon, lat, 0.02)),
            ["zones"] = JsonNode.Parse(zones ?? GeoJsonSamples.Zones(("Z1", "一号整治区", GeoJsonSamples.Square(lon + 0.005, lat + 0.005, 0.008)))),
        };
        return body;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/work/", text, StringComparison.Ordinal);
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task List_Demo_HasTwentyProjectsAcrossDistricts()
    {
        var page = await Client.GetFromJsonAsync<JsonElement>("/api/projects?pageSize=200&district=&q=", Ct);
        var items = page.GetProperty("items").EnumerateArray().ToList();
        var demo = items.Where(p => !p.GetProperty("code").GetString()!.Contains("-9", StringComparison.Ordinal)).ToList();

        Assert.True(demo.Count >= 20);
        Assert.True(demo.Select(p => p.GetProperty("districtCode").GetString()).Distinct().Count() >= 8);
        Assert.True(demo.Count(p => p.GetProperty("isPilot").GetBoolean()) >= 6);
    }

    [Fact]
    public async Task List_FiltersByDistrictStagePilotAndPages()
    {
        var fuyangPilots = await Client.GetFromJsonAsync<JsonElement>("/api/projects?district=330111&pilot=true", Ct);
        Assert.All(fuyangPilots.GetProperty("items").EnumerateArray(), p =>
        {
            Assert.Equal("330111", p.GetProperty("districtCode").GetString());
            Assert.True(p.GetProperty("isPilot").GetBoolean());
        });

        var page = await Client.GetFromJsonAsync<JsonElement>("/api/projects?pageSize=5&page=2&sort=Area&desc=true", Ct);
        var areas = page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("areaM2").GetDouble()).ToList();
        Assert.Equal(5, areas.Count);
        Assert.Equal(areas.OrderDescending(), areas);
        Assert.Equal(2, page.GetProperty("page").GetInt32());

        var reserve = await Client.GetFromJsonAsync<JsonElement>("/api/projects?stage=Reserve", Ct);
        Assert.All(reserve.GetProperty("items").EnumerateArray(), p => Assert.Equal("Reserve", p.GetProperty("stage").GetString()));
    }

    [Fact]
    public async Task Create_WithGeometry_IsStoredAndMapped()
    {
        var response = await Client.PostAsJsonAsync("/api/projects", NewProject("330111-2025-901"), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/projects/330111-2025-901", response.Headers.Location?.OriginalString);
        var project = await Client.GetFromJsonAsync<JsonElement>("/api/projects/330111-2025-901", Ct);
        Assert.Equal("Reserve", project.GetProperty("stage").GetString());
        Assert.Equal("储备", project.GetProperty("stageName").GetString());
        Assert.Equal("SurveyEvaluation", project.GetProperty("nextStage").GetString());
        Assert.InRange(project.GetProperty("areaMu").GetDouble(), 6000, 7000); // 0.02° square at 30°N ≈ 4.1 km²
        Assert.Equal("Z1", project.GetProperty("zones")[0].GetProperty("zoneId").GetString());

        var map = await Client.GetFromJsonAsync<JsonElement>("/api/projects/330111-2025-901/map", Ct);
        var roles = map.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("role").GetString()).ToList();
        Assert.Equal(["district", "project_area", "zone"], roles);

        var history = await Client.GetFromJsonAsync<JsonElement>("/api/projects/330111-2025-901/history", Ct);
        Assert.Equal(["Created", "GeometryReplaced"], history.EnumerateArray().Select(h => h.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Create_PilotWithOneTownship_Is400OnTheFieldAndStoresNothing()
    {
        var response = await Client.PostAsJsonAsync("/api/projects", NewProject("330111-2025-902", pilot: false).Also(b => b["isPilot"] = true), Ct);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("至少两个乡镇", problem.GetProperty("errors").GetProperty("townshipCodes")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/projects/330111-2025-902", Ct)).StatusCode);
    }

    [Fact]
    public async Task Create_ZoneOutsideArea_Is400AndStoresNothing()
    {
        var (lon, lat) = GeoJsonSamples.InFuyang;
        var zones = GeoJsonSamples.Zones(("Z1", "越界整治区", GeoJsonSamples.Square(lon + 0.015, lat, 0.01)));

        var response = await Client.PostAsJsonAsync("/api/projects", NewProject("330111-2025-903", zones: zones), Ct);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("项目区范围之外", problem.GetProperty("errors").GetProperty("zones[0].geometry")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/projects/330111-2025-903", Ct)).StatusCode);
    }

    [Fact]
    public async Task Create_SelfIntersectingArea_Is400WithItsLocation()
    {
        var response = await Client.PostAsJsonAsync("/api/projects", NewProject("330111-2025-904", area: GeoJsonSamples.BowTie, zones: GeoJsonSamples.Zones()), Ct);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var message = problem.GetProperty("errors").GetProperty("projectArea")[0].GetString();
        Assert.Contains("自相交", message, StringComparison.Ordinal);
        Assert.Contains("东经 119.905", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnknownDistrict_Is400OnDistrictCode()
    {
        var body = NewProject("339999-2025-905", pilot: false);
        body["districtCode"] = "339999";
        body["townshipCodes"] = new JsonArray();

        var problem = await ProblemAsync(await Client.PostAsJsonAsync("/api/projects", body, Ct), HttpStatusCode.BadRequest);

        Assert.Contains("339999", problem.GetProperty("errors").GetProperty("districtCode")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_MalformedJson_Is400WithoutInternals()
    {
        using var content = new StringContent("""{"code": "x", "investmentMode": "Barter"}""", Encoding.UTF8, "application/json");

        var problem = await ProblemAsync(await Client.PostAsync("/api/projects", content, Ct), HttpStatusCode.BadRequest);

        Assert.Contains("investmentMode", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownProject_Is404Problem()
    {
        var problem = await ProblemAsync(await Client.GetAsync("/api/projects/no-such-project", Ct), HttpStatusCode.NotFound);
        Assert.Contains("no-such-project", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_ChangesFactsAndRecordsTheEdit()
    {
        await Client.PostAsJsonAsync("/api/projects", NewProject("330111-2025-906"), Ct);
        var edit = NewProject("330111-2025-906");
        edit["name"] = "改名后的试点项目";
        edit.Remove("projectArea");
        edit.Remove("zones");

        var response = await Client.PutAsJsonAsync("/api/projects/330111-2025-906", edit, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var history = await Client.GetFromJsonAsync<JsonElement>("/api/projects/330111-2025-906/history", Ct);
        Assert.Equal(["Created", "GeometryReplaced", "Edited"], history.EnumerateArray().Select(h => h.GetProperty("kind").GetString()));
        var last = history.EnumerateArray().Last();
        Assert.Equal("Edited", last.GetProperty("kind").GetString());
        Assert.Equal("改名后的试点项目", last.GetProperty("after").GetProperty("name").GetString());
        Assert.Equal(RunningServer.CityUser, last.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Update_WithBadGeometry_ChangesNeitherFactsNorGeometry()
    {
        await Client.PostAsJsonAsync("/api/projects", NewProject("330111-2025-909"), Ct);
        var (lon, lat) = GeoJsonSamples.InFuyang;
        var edit = NewProject("330111-2025-909", zones: GeoJsonSamples.Zones(("Z1", "越界", GeoJsonSamples.Square(lon + 0.019, lat, 0.01))));
        edit["name"] = "不应保存的新名称";

        await ProblemAsync(await Client.PutAsJsonAsync("/api/projects/330111-2025-909", edit, Ct), HttpStatusCode.BadRequest);

        var project = await Client.GetFromJsonAsync<JsonElement>("/api/projects/330111-2025-909", Ct);
        Assert.Equal("富阳区测试跨乡镇土地综合整治试点项目", project.GetProperty("name").GetString());
        var history = await Client.GetFromJsonAsync<JsonElement>("/api/projects/330111-2025-909/history", Ct);
        Assert.Equal(2, history.GetArrayLength());
    }

    [Fact]
    public async Task Stage_FollowsTheLifecycleOverHttp()
    {
        await Client.PostAsJsonAsync("/api/projects", NewProject("330111-2025-907"), Ct);
        // The reserve and the survey are the district's to move; the city bureau cannot.
        using var district = server.ClientWith((await server.AccountAsync("test.fuyang", [Domain.Governance.Role.DistrictOfficer], "330111")).Token);
        var city = await Client.PostAsJsonAsync("/api/projects/330111-2025-907/stage", new { target = "SurveyEvaluation" }, Ct);
        Assert.Contains("区县", (await ProblemAsync(city, HttpStatusCode.Forbidden)).GetProperty("title").GetString(), StringComparison.Ordinal);

        var skip = await district.PostAsJsonAsync("/api/projects/330111-2025-907/stage", new { target = "Approval" }, Ct);
        await ProblemAsync(skip, HttpStatusCode.BadRequest);
        var advance = await district.PostAsJsonAsync("/api/projects/330111-2025-907/stage", new { target = "SurveyEvaluation" }, Ct);
        Assert.Equal(HttpStatusCode.OK, advance.StatusCode);
        var back = await district.PostAsJsonAsync("/api/projects/330111-2025-907/stage", new { target = "Reserve" }, Ct);
        var problem = await ProblemAsync(back, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("comment", out _));
    }

    [Fact]
    public async Task ReplaceGeometry_SelfIntersectingZone_LeavesTheOldGeometry()
    {
        await Client.PostAsJsonAsync("/api/projects", NewProject("330111-2025-908"), Ct);
        var (lon, lat) = GeoJsonSamples.InFuyang;
        var body = new JsonObject
        {
            ["projectArea"] = JsonNode.Parse(GeoJsonSamples.Square(lon, lat, 0.03)),
            ["zones"] = JsonNode.Parse(GeoJsonSamples.Zones(("Z1", "坏", GeoJsonSamples.BowTie))),
        };

        var problem = await ProblemAsync(await Client.PutAsJsonAsync("/api/projects/330111-2025-908/geometry", body, Ct), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("zones[0].geometry", out _));
        var project = await Client.GetFromJsonAsync<JsonElement>("/api/projects/330111-2025-908", Ct);
        Assert.InRange(project.GetProperty("areaMu").GetDouble(), 6000, 7000);
    }

    [Fact]
    public async Task Layers_OfADemoProject_ComeInPackageOrder()
    {
        var layers = await Client.GetFromJsonAsync<JsonElement>("/api/projects/330111-2023-001/layers", Ct);

        Assert.Equal(["parcels_before", "parcels_after", "dev_boundary", "eco_redline", "industrial_parks"],
            layers.EnumerateArray().Select(l => l.GetProperty("kind").GetString()));
        Assert.All(layers.EnumerateArray(), l => Assert.True(l.GetProperty("featureCount").GetInt32() > 0));
    }

    [Fact]
    public async Task Tiles_OfAParcelLayer_AreServedCachedAndBounded()
    {
        var layers = await Client.GetFromJsonAsync<JsonElement>("/api/projects/330111-2023-001/layers", Ct);
        var before = layers.EnumerateArray().First(l => l.GetProperty("kind").GetString() == "parcels_before").GetProperty("id").GetInt32();
        var boundary = layers.EnumerateArray().First(l => l.GetProperty("kind").GetString() == "dev_boundary").GetProperty("id").GetInt32();
        var map = await Client.GetFromJsonAsync<JsonElement>("/api/projects/330111-2023-001/map", Ct);
        var area = map.GetProperty("features").EnumerateArray().First(f => f.GetProperty("properties").GetProperty("role").GetString() == "project_area");
        var ring = area.GetProperty("geometry").GetProperty("coordinates")[0][0];
        var (lon, lat) = (ring.EnumerateArray().Average(c => c[0].GetDouble()), ring.EnumerateArray().Average(c => c[1].GetDouble()));
        var tile = Fuchun.Spatial.Tiles.TileAddress.Containing(lon, lat, 14);

        var response = await Client.GetAsync($"/tiles/{before}/{tile.Z}/{tile.X}/{tile.Y}.mvt", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.mapbox-vector-tile", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadAsByteArrayAsync(Ct)).Length > 1000);
        var etag = response.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, $"/tiles/{before}/{tile.Z}/{tile.X}/{tile.Y}.mvt");
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await Client.SendAsync(again, Ct)).StatusCode);

        var low = Fuchun.Spatial.Tiles.TileAddress.Containing(lon, lat, 10);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.GetAsync($"/tiles/{before}/{low.Z}/{low.X}/{low.Y}.mvt", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/tiles/{boundary}/{tile.Z}/{tile.X}/{tile.Y}.mvt", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/tiles/{before}/14/99999/1.mvt", Ct)).StatusCode);
    }

    [Fact]
    public async Task Reference_DistrictsTownshipsAndStages()
    {
        var districts = await Client.GetFromJsonAsync<JsonElement>("/api/districts", Ct);
        Assert.Equal(13, districts.GetArrayLength());
        Assert.Equal(191, districts.EnumerateArray().Sum(d => d.GetProperty("townshipCount").GetInt32()));
        var townships = await Client.GetFromJsonAsync<JsonElement>("/api/districts/330111/townships", Ct);
        Assert.Contains(townships.EnumerateArray(), t => t.GetProperty("name").GetString() == "富春街道");
        var stages = await Client.GetFromJsonAsync<JsonElement>("/api/stages", Ct);
        Assert.Equal(["储备", "调查评价", "立项", "实施方案审查", "实施", "区县验收", "市级整体验收", "后期管护"],
            stages.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task OpenApi_DescribesTheApiAndTheDocsPageIsServed()
    {
        var doc = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/projects", out _));
        Assert.True(paths.TryGetProperty("/api/projects/{code}/stage", out _));
        var docs = await Client.GetAsync("/api/docs/index.html", Ct);
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("swagger", await docs.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Pages_AreServedWithSecurityHeaders()
    {
        var response = await Client.GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject o, Action<JsonObject> change)
    {
        change(o);
        return o;
    }
}
