using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Fuchun.Server.Tests;

public sealed class LayerApiTests(DemoServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client => server.Client;

    private async Task<string> AProjectCodeAsync()
    {
        using var page = JsonDocument.Parse(await Client.GetStringAsync("/api/projects?pageSize=1", Ct));
        return page.RootElement.GetProperty("items")[0].GetProperty("code").GetString()!;
    }

    private async Task<JsonElement?> LayerAsync(string code, string kind)
    {
        using var layers = JsonDocument.Parse(await Client.GetStringAsync($"/api/projects/{code}/layers", Ct));
        return layers.RootElement.EnumerateArray().Where(l => l.GetProperty("kind").GetString() == kind).Select(l => (JsonElement?)l.Clone()).FirstOrDefault();
    }

    private async Task<HttpResponseMessage> UploadAsync(string code, string kind, byte[] content, string fileName)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await Client.PostAsync($"/api/projects/{code}/layers/{kind}", form, Ct);
    }

    [Theory]
    [InlineData("geojson", "parcels.geojson")]
    [InlineData("gpkg", "parcels.gpkg")]
    [InlineData("shp", "parcels.zip")]
    public async Task ExportThenUpload_RoundTripsALayer_InEachFormat(string format, string fileName)
    {
        var code = await AProjectCodeAsync();
        var before = (await LayerAsync(code, "parcels_before"))!.Value;

        var export = await Client.GetAsync($"/api/projects/{code}/layers/parcels_before/export?format={format}&gbk=true", Ct);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var bytes = await export.Content.ReadAsByteArrayAsync(Ct);
        if (format == "shp")
        {
            // With the land classes' style for QGIS beside it (a .qml of the Shapefile's name).
            using var zip = new ZipArchive(new MemoryStream(bytes));
            Assert.Equal([".cpg", ".dbf", ".prj", ".qml", ".shp", ".shx"], zip.Entries.Select(e => Path.GetExtension(e.Name)).Order());
            using var qml = new StreamReader(await zip.Entries.Single(e => e.Name.EndsWith(".qml", StringComparison.Ordinal)).OpenAsync(Ct));
            await QgisStyles.AssertLandClassColoursAsync(Client, await qml.ReadToEndAsync(Ct), "DLBM");
        }
        else if (format == "gpkg")
        {
            // With the land classes' style as the layer's default in the GeoPackage, where QGIS looks for it.
            var file = Path.Combine(Path.GetTempPath(), $"fuchun-export-{Guid.NewGuid():N}.gpkg");
            await File.WriteAllBytesAsync(file, bytes, Ct);
            try
            {
                var qml = await QgisStyles.DefaultStyleAsync(file, "parcels_before");
                await QgisStyles.AssertLandClassColoursAsync(Client, qml, "DLBM");
            }
            finally
            {
                File.Delete(file);
            }
        }

        var upload = await UploadAsync(code, "parcels_as_built", bytes, fileName);

        Assert.True(upload.StatusCode == HttpStatusCode.OK, await upload.Content.ReadAsStringAsync(Ct));
        var built = (await LayerAsync(code, "parcels_as_built"))!.Value;
        Assert.Equal(before.GetProperty("featureCount").GetInt32(), built.GetProperty("featureCount").GetInt32());
        Assert.Equal(before.GetProperty("areaM2").GetDouble(), built.GetProperty("areaM2").GetDouble(), 0.01);
    }

    [Fact]
    public async Task UploadWithAGap_IsRefusedWithTheProblem_AndTheLayerIsLeftAsItWas()
    {
        var code = await AProjectCodeAsync();
        var before = (await LayerAsync(code, "parcels_before"))!.Value;
        static string Cell(int i, int j) =>
            "{\"type\":\"Feature\",\"properties\":{\"DLBM\":\"0101\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[" +
            $"[{X(i)},{Y(j)}],[{X(i + 1)},{Y(j)}],[{X(i + 1)},{Y(j + 1)}],[{X(i)},{Y(j + 1)}],[{X(i)},{Y(j)}]" + "]]}}";
        static string X(int i) => (119.95 + (i * 0.0005)).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        static string Y(int j) => (30.05 + (j * 0.0005)).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var cells = Enumerable.Range(0, 9).Where(k => k != 4).Select(k => Cell(k % 3, k / 3));
        var geojson = System.Text.Encoding.UTF8.GetBytes($$"""{"type":"FeatureCollection","features":[{{string.Join(",", cells)}}]}""");

        var response = await UploadAsync(code, "parcels_before", geojson, "gap.geojson");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("缝隙", text, StringComparison.Ordinal);
        Assert.Contains("gap.geojson", text, StringComparison.Ordinal);
        Assert.DoesNotContain("fuchun-upload-", text, StringComparison.Ordinal);
        var after = (await LayerAsync(code, "parcels_before"))!.Value;
        Assert.Equal(before.GetProperty("featureCount").GetInt32(), after.GetProperty("featureCount").GetInt32());
    }

    [Fact]
    public async Task UploadOfAnotherKindOfFile_OrToAReferenceLayer_IsRefused()
    {
        var code = await AProjectCodeAsync();

        var wrongFile = await UploadAsync(code, "parcels_before", [1, 2, 3], "parcels.kml");
        var wrongKind = await UploadAsync(code, "zones", [1, 2, 3], "zones.geojson");
        var missing = await Client.GetAsync($"/api/projects/{code}/layers/parcels_before/export?format=dwg", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, wrongFile.StatusCode);
        Assert.Contains("parcels.kml", await wrongFile.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrongKind.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }
}
