using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fuchun.Spatial.Tiles;
using Fuchun.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fuchun.Server.Tests;

/// <summary>A platform without the demo that treats a parcel layer of 1 000 parcels or more as large.</summary>
public sealed class OverviewServer() : RunningServer(postgres: false, demo: false, new Dictionary<string, string>
{
    ["Fuchun:Tiles:OverviewMinParcels"] = "1000",
});

/// <summary>Low-zoom tiles of a large layer come from its pre-built overviews, over real HTTP.</summary>
public sealed class OverviewTileTests(OverviewServer server) : IClassFixture<OverviewServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A 40 × 40 grid: columns of 50 m fields alternate with 5 m field roads (1006), and the fields form blocks of one
    /// class (farmland, forest, ponds, villages) four columns wide and eight rows high.
    /// </summary>
    private static byte[] GridLayer(double lon, double lat)
    {
        const double step = 0.0005;
        string[] classes = ["0101", "0301", "1104", "0702", "0103"];
        var features = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            for (var j = 0; j < 40; j++)
            {
                var landClass = i % 2 == 1 ? "1006" : classes[((i / 8) + (j / 8)) % classes.Length];
                // Even columns are fields (step wide), odd ones roads (a tenth of that).
                string X(int k) => (lon + (k / 2 * step * 1.1) + (k % 2 * step)).ToString("R", CultureInfo.InvariantCulture);
                string Y(int k) => (lat + (k * step)).ToString("R", CultureInfo.InvariantCulture);
                var ring = $"[{X(i)},{Y(j)}],[{X(i + 1)},{Y(j)}],[{X(i + 1)},{Y(j + 1)}],[{X(i)},{Y(j + 1)}],[{X(i)},{Y(j)}]";
                features.Add($$$"""{"type":"Feature","properties":{"DLBM":"{{{landClass}}}"},"geometry":{"type":"Polygon","coordinates":[[{{{ring}}}]]}}""");
            }
        }

        return Encoding.UTF8.GetBytes($$"""{"type":"FeatureCollection","features":[{{string.Join(",", features)}}]}""");
    }

    private static readonly SemaphoreSlim Setup = new(1, 1);
    private static bool created;

    private static (double Lon, double Lat) Origin => GeoJsonSamples.InFuyang;

    /// <summary>The middle of the grid layer.</summary>
    private static (double Lon, double Lat) Middle => (Origin.Lon + 0.0055, Origin.Lat + 0.01);

    /// <summary>Creates the project with its 1 600-parcel layer once for the class's tests.</summary>
    private async Task EnsureLayerAsync()
    {
        await Setup.WaitAsync(Ct);
        try
        {
            if (created)
            {
                return;
            }

            var (lon, lat) = Origin;
            var project = new JsonObject
            {
                ["code"] = "330111-2025-960",
                ["name"] = "富阳区大图层瓦片测试项目",
                ["districtCode"] = "330111",
                ["townshipCodes"] = new JsonArray("330111001"),
                ["projectArea"] = JsonNode.Parse(GeoJsonSamples.Square(lon, lat, 0.03)),
                ["zones"] = JsonNode.Parse(GeoJsonSamples.Zones(("Z1", "一号", GeoJsonSamples.Square(lon + 0.002, lat + 0.002, 0.02)))),
            };
            Assert.Equal(HttpStatusCode.Created, (await server.Client.PostAsJsonAsync("/api/projects", project, Ct)).StatusCode);
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(GridLayer(lon, lat));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", "grid.geojson");
            var upload = await server.Client.PostAsync("/api/projects/330111-2025-960/layers/parcels_before", form, Ct);
            Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync(Ct));
            created = true;
        }
        finally
        {
            Setup.Release();
        }
    }

    [Fact]
    public async Task ALargeLayer_IsDrawnFromItsOverviewsAtLowZooms_AndFromItsParcelsFromZoom14()
    {
        await EnsureLayerAsync();
        var layers = await server.Client.GetFromJsonAsync<JsonElement>("/api/projects/330111-2025-960/layers", Ct);
        var layer = layers.EnumerateArray().Single(l => l.GetProperty("kind").GetString() == "parcels_before");
        Assert.Equal(1600, layer.GetProperty("featureCount").GetInt32());
        Assert.Equal(9, layer.GetProperty("tilesMinZoom").GetInt32());
        Assert.Equal(14, layer.GetProperty("parcelTilesMinZoom").GetInt32());
        var id = layer.GetProperty("id").GetInt32();
        var (cx, cy) = Middle;

        async Task<(HttpStatusCode Status, List<NetTopologySuite.Features.IFeature> Features)> TileAsync(int z)
        {
            var tile = TileAddress.Containing(cx, cy, z);
            var response = await server.Client.GetAsync($"/tiles/{id}/{z}/{tile.X}/{tile.Y}.mvt", Ct);
            var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
            return (response.StatusCode, VectorTiles.Parcels(bytes, tile));
        }

        // z8: below the overviews, nothing.
        Assert.Equal(HttpStatusCode.NoContent, (await TileAsync(8)).Status);
        // z10 and z13: the generalised land use. The 5 m field roads are under a pixel and go into the blocks.
        foreach (var z in new[] { 10, 13 })
        {
            var (status, features) = await TileAsync(z);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.InRange(features.Count, 1, 100);
            Assert.All(features, f => Assert.Equal(1L, Convert.ToInt64(f.Attributes["generalised"], CultureInfo.InvariantCulture)));
            Assert.DoesNotContain(features, f => f.Attributes["dlbm"]?.ToString() == "1006");
        }

        // z14: the parcels themselves, with their ids, roads included.
        var (detailStatus, detail) = await TileAsync(14);
        Assert.Equal(HttpStatusCode.OK, detailStatus);
        Assert.True(detail.Count > 100, $"{detail.Count} features at z14");
        Assert.All(detail, f => Assert.True(f.Attributes.Exists("id")));
        Assert.Contains(detail, f => f.Attributes["dlbm"]?.ToString() == "1006");
    }

    [Fact]
    public async Task OnTheMap_AGeneralisedPolygonSaysSo_AndAParcelShowsItsAttributesFromZoom14()
    {
        await EnsureLayerAsync();
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var account = await server.AccountAsync(RunningServer.CityUser, [Domain.Governance.Role.CityBureau]);
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString(), Locale = "zh-CN", ViewportSize = new() { Width = 1400, Height = 1000 } });
            context.SetDefaultTimeout(30_000);
            var page = await context.NewPageAsync();
            page.PageError += (_, error) => Assert.Fail("page script error: " + error);
            await WebUiTests.SignInAsync(page.Context.APIRequest, account);
            await page.GotoAsync("/projects/330111-2025-960");
            await Expect(page.Locator("#map")).ToHaveAttributeAsync("data-rendered", "true", new() { Timeout = 30_000 });

            // Web-mercator metres of the layer's middle, where the view is put.
            var (lon, lat) = Middle;
            var x = 6378137 * lon * Math.PI / 180;
            var y = 6378137 * Math.Log(Math.Tan((Math.PI / 4) + (lat * Math.PI / 360)));
            async Task ClickMiddleAtAsync(int zoom)
            {
                // OpenLayers asks for 512-pixel tiles by default: one zoom below the view's.
                var loaded = page.WaitForResponseAsync(r => r.Status == 200 && System.Text.RegularExpressions.Regex.Match(r.Url, @"/tiles/\d+/(\d+)/") is { Success: true } m
                    && int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) is var z && (z == zoom || z == zoom - 1));
                await page.EvaluateAsync($"() => {{ const v = window.fuchunMap.getView(); v.setCenter([{x.ToString("R", CultureInfo.InvariantCulture)}, {y.ToString("R", CultureInfo.InvariantCulture)}]); v.setZoom({zoom}); }}");
                await loaded;
                await page.WaitForTimeoutAsync(800);
                var box = (await page.Locator("#map").BoundingBoxAsync())!;
                await page.Mouse.ClickAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2));
            }

            await ClickMiddleAtAsync(13);
            await Expect(page.Locator("[data-parcel='generalised']")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-parcel='dlbm']")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^0(101|301|103|702)|^1104"));

            await ClickMiddleAtAsync(16);
            await Expect(page.Locator("[data-parcel='generalised']")).ToHaveCountAsync(0);
            await Expect(page.Locator("[data-parcel='dlbm']")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{4}"));
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
