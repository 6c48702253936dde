using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fuchun.Domain.Analysis;
using Fuchun.Domain.Demo;
using Fuchun.Domain.Packages;

namespace Fuchun.Server.Tests;

public sealed class AnalysisApiTests(DemoServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Analysis_OfAStoredProject_EqualsTheAnalysisOfItsPackage()
    {
        const string code = "330111-2023-001";
        using var api = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/projects/{code}/analysis", Ct));

        // The same demo project written as a package and analysed from the files, as `fuchun analyze` does.
        var city = DemoCatalog.Build(DemoCatalog.DefaultSeed);
        var folder = Directory.CreateTempSubdirectory("fuchun-analysis-api-");
        try
        {
            PackageWriter.Write(DemoPackages.ToPackage(city.Projects.Single(p => p.Details.Code == code), city.Townships), folder.FullName);
            var fromFiles = AnalysisJson.Write(ProjectAnalysis.Run(PackageReader.Read(folder.FullName).ToAnalysisInput()));

            var root = api.RootElement;
            Assert.Equal(code, root.GetProperty("project").GetString());
            foreach (var phase in new[] { "before", "after" })
            {
                var expected = fromFiles["areas_m2"]![phase]!.AsObject();
                var actual = root.GetProperty("areas_m2").GetProperty(phase);
                Assert.Equal(expected.Select(kv => kv.Key), actual.EnumerateObject().Select(p => p.Name));
                foreach (var (landClass, area) in expected)
                {
                    Assert.Equal(area!.GetValue<double>(), actual.GetProperty(landClass).GetDouble(), 1e-3);
                }
            }

            Assert.Equal(fromFiles["transfer_m2"]!.AsArray().Count, root.GetProperty("transfer_m2").GetArrayLength());
            foreach (var set in new[] { "pbf_before", "pbf_after", "farmland_before", "farmland_after" })
            {
                var expected = fromFiles["blocks"]![set]!.AsArray().Select(b => (b!["tier"]!.GetValue<string>(), b["parcels"]!.GetValue<int>())).ToList();
                var actual = root.GetProperty("blocks").GetProperty(set).EnumerateArray().Select(b => (b.GetProperty("tier").GetString()!, b.GetProperty("parcels").GetInt32())).ToList();
                Assert.Equal(expected, actual);
                // The API also names each block's parcels, for the map.
                Assert.All(root.GetProperty("blocks").GetProperty(set).EnumerateArray(), b => Assert.Equal(b.GetProperty("parcels").GetInt32(), b.GetProperty("parcel_ids").GetArrayLength()));
            }

            Assert.True(root.GetProperty("layers").GetProperty("parcels_before").GetInt32() > 0);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AccountForAPolygon_EqualsTheZonesAccount_WhenThePolygonIsTheZone()
    {
        const string code = "330111-2023-001";
        using var analysis = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/projects/{code}/analysis", Ct));
        var zoneAccount = analysis.RootElement.GetProperty("accounts")[1];
        using var map = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/projects/{code}/map", Ct));
        var zone = map.RootElement.GetProperty("features").EnumerateArray().First(f => f.GetProperty("properties").GetProperty("role").GetString() == "zone");

        using var response = await server.Client.PostAsync($"/api/projects/{code}/analysis/accounts",
            new StringContent(zone.GetProperty("geometry").GetRawText(), System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var account = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        foreach (var phase in new[] { "before", "after" })
        {
            Assert.Equal(zoneAccount.GetProperty(phase).GetProperty("total_m2").GetDouble(), account.RootElement.GetProperty(phase).GetProperty("total_m2").GetDouble(), 1e-3);
            Assert.Equal(zoneAccount.GetProperty(phase).GetProperty("parcels").GetInt32(), account.RootElement.GetProperty(phase).GetProperty("parcels").GetInt32());
        }
    }

    [Fact]
    public async Task AccountForAPolygon_ThatCrossesItself_IsRefusedWithTheProblem()
    {
        const string bowTie = """{"type":"Polygon","coordinates":[[[119.9,30.0],[119.91,30.01],[119.91,30.0],[119.9,30.01],[119.9,30.0]]]}""";

        using var response = await server.Client.PostAsync("/api/projects/330111-2023-001/analysis/accounts",
            new StringContent(bowTie, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("polygon", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blocks_AsGeoJson_HaveTheAnalysisAreasAndTiers()
    {
        const string code = "330111-2023-001";
        using var analysis = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/projects/{code}/analysis", Ct));
        using var blocks = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/projects/{code}/analysis/blocks/pbf_after", Ct));

        var expected = analysis.RootElement.GetProperty("blocks").GetProperty("pbf_after").EnumerateArray().ToList();
        var features = blocks.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(expected.Count, features.Count);
        foreach (var (e, f) in expected.Zip(features))
        {
            Assert.Equal(e.GetProperty("area_m2").GetDouble(), f.GetProperty("properties").GetProperty("area_m2").GetDouble(), 1e-3);
            Assert.Equal(e.GetProperty("tier").GetString(), f.GetProperty("properties").GetProperty("tier").GetString());
            Assert.True(f.GetProperty("geometry").GetProperty("type").GetString() is "Polygon" or "MultiPolygon");
        }

        using var unknown = await server.Client.GetAsync($"/api/projects/{code}/analysis/blocks/forest", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Check_OfAStoredProject_GivesEveryRule_AsTheCliContractDoes()
    {
        using var check = JsonDocument.Parse(await server.Client.GetStringAsync("/api/projects/330111-2023-001/check", Ct));

        var rules = check.RootElement.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 16).Select(i => $"R{i:00}"), rules.Select(r => r.GetProperty("id").GetString()));
        Assert.All(rules, r => Assert.Equal(["id", "verdict", "value", "threshold", "unit", "detail"], r.EnumerateObject().Take(6).Select(p => p.Name)));
        // The registry does not hold enterprise relocations: never a pass, insufficient data.
        Assert.Equal("insufficient_data", rules.Single(r => r.GetProperty("id").GetString() == "R10").GetProperty("verdict").GetString());
        // A pilot (the demo's first project is one): its blocks and townships are judged, not skipped.
        Assert.NotEqual("not_applicable", rules.Single(r => r.GetProperty("id").GetString() == "R04").GetProperty("verdict").GetString());
        Assert.Equal("hz-2023-21/v1", check.RootElement.GetProperty("edition").GetString());
    }

    [Fact]
    public async Task CheckWorkbook_HasASheetOfVerdictsAndOneOfWorkings_AsTheApiSaysThem()
    {
        const string code = "330111-2023-001";
        using var check = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/projects/{code}/check", Ct));
        using var response = await server.Client.GetAsync($"/api/projects/{code}/check.xlsx", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        // Taking the report away is on the audit trail.
        using (var auditAdmin = server.ClientWith((await server.AccountAsync("analysis.auditadmin", [Domain.Governance.Role.AuditAdministrator])).Token))
        {
            var trail = await auditAdmin.GetFromJsonAsync<JsonElement>($"/api/audit?action=check.exported&subject={code}&actor={RunningServer.CityUser}", Ct);
            Assert.NotEqual(0, trail.GetProperty("total").GetInt32());
        }

        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        using var workbook = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(stream, false);
        var sheets = workbook.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().ToList();
        Assert.Equal(["核查结论", "计算过程"], sheets.Select(s => s.Name!.Value));
        // A file Excel opens without repairing it: valid against the Open XML schema.
        Assert.Empty(new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(workbook, Ct).Select(e => $"{e.Path?.XPath}: {e.Description}"));

        string[][] Rows(DocumentFormat.OpenXml.Spreadsheet.Sheet sheet) =>
            [.. ((DocumentFormat.OpenXml.Packaging.WorksheetPart)workbook.WorkbookPart.GetPartById(sheet.Id!)).Worksheet
                .Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>()
                .Select(r => r.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().Select(c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "").ToArray())];
        var verdicts = Rows(sheets[0]);
        Assert.Contains(code, verdicts[1][0], StringComparison.Ordinal);
        Assert.Equal(["序号", "规则", "条款", "规则原文", "结论", "实测值", "阈值", "说明"], verdicts[3]);
        var labels = new Dictionary<string, string> { ["pass"] = "✔ 通过", ["warn"] = "⚠ 预警", ["fail"] = "✘ 不通过", ["not_applicable"] = "— 不适用", ["insufficient_data"] = "？ 数据不足" };
        foreach (var (rule, i) in check.RootElement.GetProperty("rules").EnumerateArray().Select((r, i) => (r, i)))
        {
            var row = verdicts[4 + i];
            Assert.Equal(rule.GetProperty("id").GetString(), row[1]);
            Assert.Equal(labels[rule.GetProperty("verdict").GetString()!], row[4]);
            Assert.Equal(rule.GetProperty("detail").GetString(), row[7]);
        }

        var workings = Rows(sheets[1]);
        Assert.Equal(16, workings.Skip(4).Count());
        Assert.All(workings.Skip(4), w => Assert.False(string.IsNullOrEmpty(w[1])));
    }

    [Fact]
    public async Task Analysis_OfAnUnknownProject_IsNotFound()
    {
        using var response = await server.Client.GetAsync("/api/projects/NO-SUCH-PROJECT/analysis", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
