using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fuchun.Domain.Packages;
using Microsoft.Data.Sqlite;

namespace Fuchun.Server.Tests;

public sealed class PackageApiTests(DemoServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client => server.Client;

    private async Task<HttpResponseMessage> UploadAsync(byte[] content, string fileName)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await Client.PostAsync("/api/packages", form, Ct);
    }

    private async Task<List<(string Id, string Verdict, double? Value)>> VerdictsAsync(string code)
    {
        using var check = JsonDocument.Parse(await Client.GetStringAsync($"/api/projects/{code}/check", Ct));
        return [.. check.RootElement.GetProperty("rules").EnumerateArray().Select(r => (r.GetProperty("id").GetString()!, r.GetProperty("verdict").GetString()!,
            r.GetProperty("value").ValueKind == JsonValueKind.Number ? (double?)Math.Round(r.GetProperty("value").GetDouble(), 6) : null))];
    }

    [Fact]
    public async Task DownloadBothForms_ThenUploadAsANewProject_ChecksTheSame()
    {
        const string code = "330122-2025-006";
        var folder = Directory.CreateTempSubdirectory("fuchun-package-api-");
        try
        {
            var gpkg = Path.Combine(folder.FullName, "p.gpkg");
            await File.WriteAllBytesAsync(gpkg, await Client.GetByteArrayAsync($"/api/projects/{code}/package?format=gpkg", Ct), Ct);
            var zip = Path.Combine(folder.FullName, "p.zip");
            await File.WriteAllBytesAsync(zip, await Client.GetByteArrayAsync($"/api/projects/{code}/package?format=zip", Ct), Ct);
            // The parcel layers open in QGIS in the land classes' colours.
            foreach (var table in new[] { "parcels_before", "parcels_after" })
            {
                await QgisStyles.AssertLandClassColoursAsync(Client, await QgisStyles.DefaultStyleAsync(gpkg, table), "DLBM");
            }

            var fromGpkg = PackageReader.Read(gpkg);
            var fromZip = PackageReader.Read(zip);
            Assert.Equal(code, fromGpkg.Id);
            Assert.Equal(fromGpkg.Before.Count, fromZip.Before.Count);
            Assert.Equal(fromGpkg.After.Count, fromZip.After.Count);

            // The same package under a new id, uploaded: a new project in the reserve that checks as the original.
            await using (var connection = new SqliteConnection($"Data Source={gpkg};Pooling=false"))
            {
                await connection.OpenAsync(Ct);
                await using var update = connection.CreateCommand();
                update.CommandText = "UPDATE project SET json = json_set(json, '$.id', '330122-2025-906')";
                await update.ExecuteNonQueryAsync(Ct);
            }

            using var response = await UploadAsync(await File.ReadAllBytesAsync(gpkg, Ct), "洋溪.gpkg");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var created = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("330122-2025-906", created.GetProperty("code").GetString());
            Assert.Equal("Reserve", created.GetProperty("stage").GetString());
            Assert.Equal(await VerdictsAsync(code), await VerdictsAsync("330122-2025-906"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Upload_ABadPackage_NamesTheProblem_AndStoresNothing()
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var entry = await archive.CreateEntry("pkg/project.json").OpenAsync(Ct);
            await entry.WriteAsync("""{"id": "330122-2025-907", "name": "缺图层的项目包", "district": "330122"}"""u8.ToArray(), Ct);
        }

        using var response = await UploadAsync(buffer.ToArray(), "缺图层.zip");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problems = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("file").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(problems, p => p.Contains("parcels_before", StringComparison.Ordinal) && p.Contains("缺图层.zip", StringComparison.Ordinal));
        // Nothing of it is stored (other tests add projects to the shared server meanwhile: ask for this one).
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/projects/330122-2025-907", Ct)).StatusCode);

        using var wrongType = await UploadAsync([1, 2, 3], "parcels.shp");
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        using var notAGeoPackage = await UploadAsync("not a database"u8.ToArray(), "坏文件.gpkg");
        Assert.Equal(HttpStatusCode.BadRequest, notAGeoPackage.StatusCode);
        Assert.Contains("坏文件.gpkg", (await notAGeoPackage.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanReviewGate_OverTheApi_StopsAFailingProject_AndNobodyUnsignedCanWaiveIt()
    {
        const string code = "330182-2023-010";   // in plan review, with failing rules
        var failing = (await VerdictsAsync(code)).Where(v => v.Verdict == "fail").Select(v => v.Id).ToList();
        Assert.NotEmpty(failing);

        using var blocked = await Client.PostAsJsonAsync($"/api/projects/{code}/stage", new { target = "Implementation" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, blocked.StatusCode);
        var errors = (await blocked.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        var stageError = errors.GetProperty("stage")[0].GetString()!;
        Assert.All(failing, id => Assert.Contains(id, stageError, StringComparison.Ordinal));
        // One answer names everything still missing: the review's opinion is not on file either.
        Assert.Contains("实施方案审查意见", errors.GetProperty("documents")[0].GetString(), StringComparison.Ordinal);

        // Plan review is the city's: the project's own district can neither pass it nor waive it, nor can anyone unsigned.
        using var district = server.ClientWith((await server.AccountAsync("test.jiande", [Domain.Governance.Role.DistrictOfficer], "330182")).Token);
        using var waived = await district.PostAsJsonAsync($"/api/projects/{code}/stage", new { target = "Implementation", waiver = "区县要求先行实施" }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, waived.StatusCode);
        Assert.Contains("市局", (await waived.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString(), StringComparison.Ordinal);
        using var anonymous = await server.Anonymous.PostAsJsonAsync($"/api/projects/{code}/stage", new { target = "Implementation", waiver = "匿名" }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var project = await Client.GetFromJsonAsync<JsonElement>($"/api/projects/{code}", Ct);
        Assert.Equal("PlanReview", project.GetProperty("stage").GetString());
        var history = await Client.GetFromJsonAsync<JsonElement>($"/api/projects/{code}/history", Ct);
        var gates = history.EnumerateArray().Where(h => h.GetProperty("kind").GetString() == "GateChecked").ToList();
        Assert.NotEmpty(gates);
        Assert.False(gates[^1].GetProperty("after").GetProperty("held").GetBoolean());
        Assert.Equal(failing, gates[^1].GetProperty("after").GetProperty("failing").EnumerateArray().Select(e => e.GetString()!));

        // The stages list says which gate leaving plan review needs and who may waive it.
        var stages = await Client.GetFromJsonAsync<JsonElement>("/api/stages", Ct);
        var gate = stages.EnumerateArray().Single(s => s.GetProperty("stage").GetString() == "PlanReview").GetProperty("gate");
        Assert.Equal("parcels_after", gate.GetProperty("layer").GetString());
        Assert.Contains("市局", gate.GetProperty("waiverRoles").EnumerateArray().Select(r => r.GetString()));
    }
}
