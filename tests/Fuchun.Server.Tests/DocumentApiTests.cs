using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fuchun.Domain.Governance;
using Fuchun.Testing;

namespace Fuchun.Server.Tests;

/// <summary>Documents over the API: filed by the project's deciders, checked, read only by those allowed, every reading audited.</summary>
public sealed class DocumentApiTests(DemoServer server)
{
    private const string Code = "330112-2024-005";   // Lin'an

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MultipartFormDataContent Form(byte[] bytes, string name, string kind) =>
        new() { { new ByteArrayContent(bytes), "file", name }, { new StringContent(kind), "kind" } };

    [Fact]
    public async Task ADocument_IsFiledByTheDistrict_AndReadOnlyByThoseAllowed()
    {
        using var linan = server.ClientWith((await server.AccountAsync("doc.linan", [Role.DistrictOfficer], "330112")).Token);
        using var fuyang = server.ClientWith((await server.AccountAsync("doc.fuyang", [Role.DistrictOfficer], "330111")).Token);
        using var chief = server.ClientWith((await server.AccountAsync("doc.chief", [Role.FieldChief], "330112")).Token);
        using var auditor = server.ClientWith((await server.AccountAsync("doc.auditor", [Role.Auditor])).Token);

        // A page of HTML called a PDF is refused, and says why.
        using (var disguised = await linan.PostAsync($"/api/projects/{Code}/documents", Form("<html><script>alert(1)</script></html>"u8.ToArray(), "验收报告.pdf", "district_acceptance_report"), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, disguised.StatusCode);
            Assert.Contains("文件内容须与扩展名相符", (await disguised.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        }

        using var filed = await linan.PostAsync($"/api/projects/{Code}/documents", Form(DocumentFixtures.Pdf, "临安验收报告.pdf", "district_acceptance_report"), Ct);
        Assert.Equal(HttpStatusCode.OK, filed.StatusCode);
        var id = (await filed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt32();

        // Another district neither files nor reads; a field chief sees the list but cannot take the file away.
        Assert.Equal(HttpStatusCode.NotFound, (await fuyang.PostAsync($"/api/projects/{Code}/documents", Form(DocumentFixtures.Pdf, "x.pdf", "other"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fuyang.GetAsync($"/api/projects/{Code}/documents/{id}", Ct)).StatusCode);
        var listed = await chief.GetFromJsonAsync<JsonElement>($"/api/projects/{Code}/documents", Ct);
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), d => d.GetProperty("id").GetInt32() == id && d.GetProperty("kindName").GetString() == "区县验收报告");
        Assert.False(listed.GetProperty("items")[0].TryGetProperty("storedName", out _));
        Assert.Equal(HttpStatusCode.Forbidden, (await chief.GetAsync($"/api/projects/{Code}/documents/{id}", Ct)).StatusCode);

        using var read = await auditor.GetAsync($"/api/projects/{Code}/documents/{id}", Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("application/pdf", read.Content.Headers.ContentType!.MediaType);
        Assert.Equal("临安验收报告.pdf", read.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Equal(DocumentFixtures.Pdf, await read.Content.ReadAsByteArrayAsync(Ct));
        // The file is not anywhere the web serves.
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Anonymous.GetAsync($"/api/projects/{Code}/documents/{id}", Ct)).StatusCode);

        using var auditAdmin = server.ClientWith((await server.AccountAsync("doc.auditadmin", [Role.AuditAdministrator])).Token);
        var trail = await auditAdmin.GetFromJsonAsync<JsonElement>($"/api/audit?subject={Code}&action=document.", Ct);
        var actions = trail.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("action").GetString(), e.GetProperty("actor").GetString(), e.GetProperty("role").GetString())).ToList();
        Assert.Contains(("document.filed", "doc.linan", "district_officer"), actions);
        Assert.Contains(("document.read", "doc.auditor", "auditor"), actions);
    }

    [Fact]
    public async Task TheProvincesApproval_IsRecordedByTheCity_WithItsDocumentOnFile()
    {
        const string code = "330122-2023-007";
        using var district = server.ClientWith((await server.AccountAsync("doc.tonglu", [Role.DistrictOfficer], "330122")).Token);
        var request = new { approvedOn = "2026-03-18", documentNumber = "浙自然资函〔2026〕18号" };

        Assert.Equal(HttpStatusCode.Forbidden, (await district.PostAsJsonAsync($"/api/projects/{code}/provincial-approval", request, Ct)).StatusCode);
        using (var noDocument = await server.Client.PostAsJsonAsync($"/api/projects/{code}/provincial-approval", request, Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noDocument.StatusCode);
            Assert.Contains("省级批准文件", (await noDocument.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("documents")[0].GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync($"/api/projects/{code}/documents", Form(DocumentFixtures.Pdf, "省厅批复.pdf", "provincial_approval"), Ct)).StatusCode);
        using var recorded = await server.Client.PostAsJsonAsync($"/api/projects/{code}/provincial-approval", request, Ct);
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        var approval = (await recorded.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("provincialApproval");
        Assert.Equal("浙自然资函〔2026〕18号", approval.GetProperty("documentNumber").GetString());
        Assert.Equal(RunningServer.CityUser, approval.GetProperty("recordedBy").GetString());

        // The rules read it: R05 now knows the adjustment was approved by the province.
        var history = await server.Client.GetFromJsonAsync<JsonElement>($"/api/projects/{code}/history", Ct);
        var edit = history.EnumerateArray().Last(h => h.GetProperty("kind").GetString() == "Edited");
        Assert.True(edit.GetProperty("after").GetProperty("statedFacts").GetProperty("provincial_approval_for_pbf_adjustment").GetBoolean());
    }
}
