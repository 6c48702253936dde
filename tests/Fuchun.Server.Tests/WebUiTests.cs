using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fuchun.Server.Tests;

public sealed class WebUiTests(DemoServer server) : IAsyncLifetime
{
    private IPlaywright? playwright;
    private IBrowser? browser;

    public async ValueTask InitializeAsync()
    {
        // CI runs every test assembly at once on two cores: give the page's own fetches time.
        SetDefaultExpectTimeout(30_000);
        (playwright, browser) = await Browser.LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
    }

    /// <summary>A page in a new browser, signed in as <paramref name="userName"/> (the city bureau's test account unless said).</summary>
    private async Task<IPage> NewPageAsync(string userName = RunningServer.CityUser)
    {
        var account = userName switch
        {
            RunningServer.CityUser => await server.AccountAsync(userName, [Domain.Governance.Role.CityBureau]),
            "test.xiaoshan" => await server.AccountAsync(userName, [Domain.Governance.Role.DistrictOfficer], "330113"),
            "test.auditadmin" => await server.AccountAsync(userName, [Domain.Governance.Role.AuditAdministrator]),
            "test.leadinggroup" => await server.AccountAsync(userName, [Domain.Governance.Role.LeadingGroup]),
            "test.xiaoshan-plans" => await server.AccountAsync(userName, [Domain.Governance.Role.DistrictOfficer], "330109"),
            _ => await server.AccountAsync(userName, []),
        };
        var page = await AnonymousPageAsync();
        await SignInAsync(page.Context.APIRequest, account);
        return page;
    }

    private async Task<IPage> AnonymousPageAsync()
    {
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString(), Locale = "zh-CN", ViewportSize = new() { Width = 1400, Height = 1000 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => Assert.Fail("page script error: " + error);
        return page;
    }

    /// <summary>Signs the browser context in as the page would: the session's anti-forgery token, then the password.</summary>
    internal static async Task SignInAsync(IAPIRequestContext request, TestAccount account)
    {
        var session = await request.GetAsync("/api/session");
        var csrf = (await session.JsonAsync())!.Value.GetProperty("csrfToken").GetString()!;
        var signedIn = await request.PostAsync("/api/session", new()
        {
            Headers = new Dictionary<string, string> { ["X-CSRF-Token"] = csrf },
            DataObject = new { userName = account.UserName, password = account.Password },
        });
        Assert.True(signedIn.Ok, $"sign-in of {account.UserName} answered {signedIn.Status} {await signedIn.TextAsync()}");
    }

    /// <summary>
    /// Submits the project form, waits for the API's answer and then for the project's page; if either does not
    /// come, fails with the request's fate, the page's console and what the form showed.
    /// </summary>
    private static async Task SubmitAsync(IPage page, string expectedUrl)
    {
        var console = new List<string>();
        page.Console += (_, message) => console.Add($"{message.Type}: {message.Text}");
        var started = DateTime.UtcNow;
        IResponse? response = null;
        try
        {
            response = await page.RunAndWaitForResponseAsync(
                () => page.ClickAsync("#submit"),
                r => r.Url.Contains("/api/projects", StringComparison.Ordinal) && r.Request.Method is "POST" or "PUT",
                new() { Timeout = 60_000 });
            // Commit, not load: the page's own content is awaited by the assertions that follow.
            await page.WaitForURLAsync(expectedUrl, new() { Timeout = 30_000, WaitUntil = WaitUntilState.Commit });
        }
        catch (TimeoutException)
        {
            var shown = await page.EvaluateAsync<string>("() => [...document.querySelectorAll('#alert, .error')].map(e => e.textContent).filter(Boolean).join(' | ')");
            var answer = response is null ? "no answer from the API" : $"API answered {response.Status} {await response.TextAsync()}";
            Assert.Fail($"the form did not lead to {expectedUrl} after {(DateTime.UtcNow - started).TotalSeconds:0.0} s; {answer}; " +
                $"the form shows: {shown}; console: {string.Join(" / ", console)}");
        }
    }

    [Fact]
    public async Task CreateProject_FromTheList_ShowsItsPageWithTheMapDrawn()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.Locator("h1")).ToHaveTextAsync("土地综合整治项目");
        await Expect(page.Locator("#projects tbody tr")).ToHaveCountAsync(20);
        await Expect(page.Locator("#total")).ToContainTextAsync("个项目");

        await page.ClickAsync("#nav-new");
        await Expect(page.Locator("h1")).ToHaveTextAsync("新建土地综合整治项目");
        var (lon, lat) = GeoJsonSamples.InFuyang;
        var dir = Directory.CreateTempSubdirectory("fuchun-ui-");
        var areaFile = Path.Combine(dir.FullName, "project_area.geojson");
        var zonesFile = Path.Combine(dir.FullName, "zones.geojson");
        await File.WriteAllTextAsync(areaFile, GeoJsonSamples.Square(lon, lat, 0.02), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(zonesFile, GeoJsonSamples.Zones(("Z1", "浏览器整治区", GeoJsonSamples.Square(lon + 0.006, lat + 0.006, 0.008))), TestContext.Current.CancellationToken);

        await page.FillAsync("#code", "330111-2025-777");
        await page.FillAsync("#name", "富阳区浏览器测试跨乡镇土地综合整治试点项目");
        await page.SelectOptionAsync("#districtCode", "330111");
        await page.Locator("#townships input[value='330111001']").CheckAsync();
        await page.Locator("#townships input[value='330111002']").CheckAsync();
        await page.CheckAsync("#isPilot");
        await page.FillAsync("#approvedOn", "2025-06-01");
        await page.SelectOptionAsync("#investmentMode", "FinancingEpcOperation");
        await page.Locator("#fundingSources input[value='City']").CheckAsync();
        await page.FillAsync("#plannedInvestmentWanYuan", "12000");
        await page.SetInputFilesAsync("#projectArea", areaFile);
        await page.SetInputFilesAsync("#zones", zonesFile);
        await SubmitAsync(page, "**/projects/330111-2025-777");
        await Expect(page.Locator("#project-name")).ToHaveTextAsync("富阳区浏览器测试跨乡镇土地综合整治试点项目");
        await Expect(page.Locator("#project-stage")).ToHaveTextAsync("储备");
        await Expect(page.Locator("#project-pilot")).ToBeVisibleAsync();
        await Expect(page.Locator("#zones tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#history li")).ToHaveCountAsync(2);

        // The map is drawn: OpenLayers finished rendering, and a pixel inside the zone (below its name, which is drawn at
        // its centre) has the zone's amber fill.
        await Expect(page.Locator("#map")).ToHaveAttributeAsync("data-rendered", "true");
        var rgba = await page.EvaluateAsync<JsonElement>(
            """
            ([lon, lat]) => {
              const map = window.fuchunMap;
              const [x, y] = map.getPixelFromCoordinate(ol3857(lon, lat));
              const canvas = document.querySelector('#map canvas');
              const ratio = canvas.width / canvas.getBoundingClientRect().width;
              return Array.from(canvas.getContext('2d').getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data);
              function ol3857(lo, la) { const r = 6378137; return [lo * Math.PI / 180 * r, r * Math.log(Math.tan(Math.PI / 4 + la * Math.PI / 360))]; }
            }
            """,
            new[] { lon + 0.010, lat + 0.0075 });
        var (r, g, b) = (rgba[0].GetInt32(), rgba[1].GetInt32(), rgba[2].GetInt32());
        Assert.True(r > 200 && g is > 150 and < 235 && b < 190, string.Create(CultureInfo.InvariantCulture, $"zone pixel was rgb({r},{g},{b})"));

        await page.GotoAsync("/?q=330111-2025-777");
        await Expect(page.Locator("#projects tbody tr")).ToHaveCountAsync(1);
        dir.Delete(recursive: true);
    }

    [Fact]
    public async Task CreateProject_WithAnError_ShowsItByTheField()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/projects/new");
        await page.FillAsync("#code", "330111-2025-778");
        await page.FillAsync("#name", "只涉及一个乡镇的试点");
        await page.SelectOptionAsync("#districtCode", "330111");
        await page.Locator("#townships input[value='330111001']").CheckAsync();
        await page.CheckAsync("#isPilot");
        await page.ClickAsync("#submit");

        await Expect(page.Locator("[data-field='townshipCodes'] .error")).ToContainTextAsync("至少两个乡镇");
        Assert.EndsWith("/projects/new", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditProject_FromItsPage_KeepsTheGeometryAndRecordsTheEdit()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/projects/330122-2023-007");

        // The page fills in the project (and the edit link's address) once the API answers: wait for it.
        await Expect(page.Locator("#edit")).ToHaveAttributeAsync("href", "/projects/330122-2023-007/edit");
        var area = await page.Locator("[data-fact='project.area']").TextContentAsync();
        await page.ClickAsync("#edit");
        await page.WaitForURLAsync("**/projects/330122-2023-007/edit", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator("#name")).Not.ToHaveValueAsync("");
        await Expect(page.Locator("#townships input:checked")).ToHaveCountAsync(1);

        await page.FillAsync("#name", "桐庐县编辑后的土地综合整治项目");
        await SubmitAsync(page, "**/projects/330122-2023-007");
        await Expect(page.Locator("#project-name")).ToHaveTextAsync("桐庐县编辑后的土地综合整治项目");
        await Expect(page.Locator("[data-fact='project.area']")).ToHaveTextAsync(area!);
        await Expect(page.Locator("#history li").First).ToContainTextAsync("修改信息");
    }

    [Fact]
    public async Task ProjectMap_DrawsParcelTilesAndInspectsAParcel()
    {
        var page = await NewPageAsync();
        var tileLoaded = page.WaitForResponseAsync(r => r.Url.Contains("/tiles/", StringComparison.Ordinal) && r.Status == 200);
        await page.GotoAsync("/projects/330111-2023-001");
        await tileLoaded;
        await Expect(page.Locator("#parcel-switch input[type=radio]")).ToHaveCountAsync(3);
        await Expect(page.Locator("#map")).ToHaveAttributeAsync("data-rendered", "true");

        // The legend: every 三调 group with its base classes, each swatch in the class's colour as the API gives it.
        using var classes = JsonDocument.Parse(await server.Client.GetStringAsync("/api/land-classes", TestContext.Current.CancellationToken));
        var colours = classes.RootElement.EnumerateArray().ToDictionary(c => c.GetProperty("code").GetString()!, c => c.GetProperty("colour").GetString()!, StringComparer.Ordinal);
        var baseClasses = classes.RootElement.EnumerateArray().Where(c => !c.GetProperty("isAdjustable").GetBoolean()).ToList();
        await Expect(page.Locator("#parcel-legend li[data-group]")).ToHaveCountAsync(baseClasses.Select(c => c.GetProperty("group").GetString()).Distinct().Count());
        await Expect(page.Locator("#parcel-legend .class")).ToHaveCountAsync(baseClasses.Count);
        foreach (var code in new[] { "0101", "0102", "0103", "0301", "1006", "1107" })
        {
            await Expect(page.Locator($"#parcel-legend .class[data-code='{code}'] .swatch")).ToHaveCSSAsync("background-color", Rgb(colours[code]));
        }

        await page.WaitForFunctionAsync("() => window.fuchunMap && window.fuchunMap.getLayers().getArray().some(l => l.get('kind') === 'parcels_before' && l.getSource().getState() === 'ready')");

        // The map is centred on the project area, which parcels tile without gaps: its centre is a parcel.
        var box = await page.Locator("#map").BoundingBoxAsync();
        await page.WaitForTimeoutAsync(500);
        await page.Mouse.ClickAsync(box!.X + (box.Width / 2), box.Y + (box.Height / 2));

        await Expect(page.Locator("[data-parcel='dlbm']")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{2}[0-9A-Z]{2}"));

        // The parcel clicked is filled in its class's colour.
        var drawn = await page.EvaluateAsync<string[]>(
            """
            ([x, y]) => {
              const map = window.fuchunMap;
              const layer = map.getLayers().getArray().find(l => l.get('kind')?.startsWith('parcels_') && l.getVisible());
              const feature = map.getFeaturesAtPixel([x, y], { layerFilter: l => l === layer })[0];
              if (!feature) return ['no parcel drawn at the centre of the map'];
              return [feature.get('dlbm'), layer.getStyleFunction()(feature, map.getView().getResolution()).getFill().getColor()];
            }
            """,
            new[] { box.Width / 2.0, box.Height / 2.0 });
        Assert.True(drawn.Length == 2, drawn[0]);
        Assert.Equal(colours[drawn[0]], drawn[1]);
        await Expect(page.Locator("[data-parcel='dlbm']")).ToContainTextAsync(drawn[0]);
    }

    private static string Rgb(string hex) => string.Create(CultureInfo.InvariantCulture,
        $"rgb({Convert.ToInt32(hex[1..3], 16)}, {Convert.ToInt32(hex[3..5], 16)}, {Convert.ToInt32(hex[5..7], 16)})");

    [Fact]
    public async Task AnalysisPage_ShowsTheApisFigures_WithChartsAndTheMapDrawn()
    {
        const string code = "330109-2023-013";
        var http = server.Client;
        using var api = JsonDocument.Parse(await http.GetStringAsync($"/api/projects/{code}/analysis", TestContext.Current.CancellationToken));
        var root = api.RootElement;
        static string Mu(double m2) => (m2 / (10000.0 / 15)).ToString("#,0.00", CultureInfo.InvariantCulture);

        var page = await NewPageAsync();
        await page.GotoAsync($"/projects/{code}");
        await Expect(page.Locator("#analysis-link")).ToHaveAttributeAsync("href", $"/projects/{code}/analysis");
        // Followed by address: WaitForURL after a click races a fast navigation (it may wait for a "commit" that has passed).
        await page.GotoAsync($"/projects/{code}/analysis");
        await Expect(page.Locator("#analysis")).ToHaveAttributeAsync("data-ready", "true");

        // Every class's area before and after, as the API gives it, in 亩.
        var project = root.GetProperty("accounts")[0];
        foreach (var c in project.GetProperty("before").GetProperty("classes").EnumerateArray())
        {
            await Expect(page.Locator($"#accounts tr[data-code='{c.GetProperty("code").GetString()}'] td[data-col='before']")).ToHaveTextAsync(Mu(c.GetProperty("area_m2").GetDouble()));
        }

        foreach (var c in project.GetProperty("after").GetProperty("classes").EnumerateArray())
        {
            await Expect(page.Locator($"#accounts tr[data-code='{c.GetProperty("code").GetString()}'] td[data-col='after']")).ToHaveTextAsync(Mu(c.GetProperty("area_m2").GetDouble()));
        }

        await Expect(page.Locator("#accounts tr[data-code='total'] td[data-col='before']")).ToHaveTextAsync(Mu(project.GetProperty("before").GetProperty("total_m2").GetDouble()));
        await Expect(page.Locator("#accounts tr[data-code='total-ha'] td[data-col='after']"))
            .ToHaveTextAsync((project.GetProperty("after").GetProperty("total_m2").GetDouble() / 10000).ToString("#,0.00", CultureInfo.InvariantCulture));

        // Every cell of the transfer matrix.
        var cells = root.GetProperty("transfer_m2").EnumerateArray().ToList();
        Assert.NotEmpty(cells);
        foreach (var cell in cells)
        {
            await Expect(page.Locator($"#matrix tr[data-from='{cell.GetProperty("from").GetString()}'] td[data-to='{cell.GetProperty("to").GetString()}']"))
                .ToHaveTextAsync(Mu(cell.GetProperty("area_m2").GetDouble()));
        }

        // Blocks per set, the farmland gain, the fragmentation.
        foreach (var set in root.GetProperty("blocks").EnumerateObject())
        {
            var row = page.Locator($"#blocks tr[data-set='{set.Name}'] td");
            await Expect(row.Nth(1)).ToHaveTextAsync(set.Value.GetArrayLength().ToString(CultureInfo.InvariantCulture));
            if (set.Value.GetArrayLength() > 0)
            {
                await Expect(row.Nth(2)).ToHaveTextAsync(Mu(set.Value[0].GetProperty("area_m2").GetDouble()));
            }
        }

        var farmland = root.GetProperty("changes_m2").EnumerateArray().Single(c => c.GetProperty("group").GetString() == "耕地");
        await Expect(page.Locator("#changes tr[data-group='耕地'] td").Nth(1)).ToHaveTextAsync(Mu(farmland.GetProperty("gain").GetDouble()));
        await Expect(page.Locator("#fragmentation tr[data-indicator='patches'] td").Nth(1))
            .ToHaveTextAsync(root.GetProperty("fragmentation").GetProperty("before").GetProperty("patches").GetInt32().ToString(CultureInfo.InvariantCulture));
        Assert.Equal(root.GetProperty("pbf_findings").GetArrayLength(), await page.Locator("#findings tr[data-kind]").CountAsync());

        // The charts and the map are drawn; the switches work without a script error.
        await Expect(page.Locator("#sankey")).ToHaveAttributeAsync("data-rendered", "true");
        await Expect(page.Locator("#group-chart")).ToHaveAttributeAsync("data-rendered", "true");
        await Expect(page.Locator("#sankey canvas")).ToHaveCountAsync(1);
        await Expect(page.Locator("#map")).ToHaveAttributeAsync("data-rendered", "true");
        await page.CheckAsync("#phase-switch input[value='before']");
        await page.CheckAsync("#set-switch input[value='farmland']");
        await Expect(page.Locator("#tier-legend li")).ToHaveCountAsync(6);

        // A polygon drawn on the map: its account is shown as the API gives it.
        await page.ClickAsync("#draw-polygon");
        await page.EvaluateAsync("() => document.getElementById('map').scrollIntoView({ block: 'center' })");
        var box = (await page.Locator("#map").BoundingBoxAsync())!;
        var (cx, cy) = (box.X + (box.Width / 2), box.Y + (box.Height / 2));
        var answer = await page.RunAndWaitForResponseAsync(async () =>
        {
            foreach (var (dx, dy) in new[] { (-60, -60), (60, -60), (60, 60) })
            {
                await page.Mouse.ClickAsync((float)(cx + dx), (float)(cy + dy));
            }

            await page.Mouse.DblClickAsync((float)(cx - 60), (float)(cy + 60));
        }, r => r.Url.EndsWith("/analysis/accounts", StringComparison.Ordinal));
        Assert.Equal(200, answer.Status);
        using var drawn = JsonDocument.Parse(await answer.TextAsync());
        await Expect(page.Locator("#polygon-account tr[data-code='total'] td[data-col='before']")).ToHaveTextAsync(Mu(drawn.RootElement.GetProperty("before").GetProperty("total_m2").GetDouble()));
        await Expect(page.Locator("#polygon-area")).ToContainTextAsync(Mu(drawn.RootElement.GetProperty("area_m2").GetDouble()));
        Assert.True(drawn.RootElement.GetProperty("before").GetProperty("total_m2").GetDouble() > 0);
    }

    [Fact]
    public async Task CheckPage_ShowsEachRulesVerdictWithASignAndWord_AndItsWorking()
    {
        const string code = "330111-2023-001";
        var http = server.Client;
        using var api = JsonDocument.Parse(await http.GetStringAsync($"/api/projects/{code}/check", TestContext.Current.CancellationToken));
        var words = new Dictionary<string, string> { ["pass"] = "✔ 通过", ["warn"] = "⚠ 预警", ["fail"] = "✘ 不通过", ["not_applicable"] = "— 不适用", ["insufficient_data"] = "？ 数据不足" };

        var page = await NewPageAsync();
        await page.GotoAsync($"/projects/{code}");
        await Expect(page.Locator("#check-link")).ToHaveAttributeAsync("href", $"/projects/{code}/check");
        await page.GotoAsync($"/projects/{code}/check");
        await Expect(page.Locator("#check")).ToHaveAttributeAsync("data-ready", "true");

        foreach (var rule in api.RootElement.GetProperty("rules").EnumerateArray())
        {
            var id = rule.GetProperty("id").GetString();
            var verdict = rule.GetProperty("verdict").GetString()!;
            await Expect(page.Locator($"tr[data-rule='{id}'] td[data-verdict]")).ToHaveTextAsync(words[verdict]);
            if (rule.GetProperty("unit").GetString() == "ratio" && rule.GetProperty("value").ValueKind == JsonValueKind.Number)
            {
                var percent = (rule.GetProperty("value").GetDouble() * 100).ToString("#,0.00", CultureInfo.InvariantCulture) + "%";
                await Expect(page.Locator($"tr[data-rule='{id}'] td[data-col='value']")).ToHaveTextAsync(percent);
            }
        }

        // The working of a rule, on demand.
        await Expect(page.Locator("tr[data-working='R01']")).ToBeHiddenAsync();
        await page.ClickAsync("tr[data-rule='R01'] button");
        await Expect(page.Locator("tr[data-working='R01']")).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-working='R01']")).ToContainTextAsync("整治区的永久基本农田100%建成高标准农田");
    }

    [Fact]
    public async Task CheckPage_MapFillsTheOffendingParcels_ForAllRulesOrOne()
    {
        const string code = "330111-2024-002";
        var http = server.Client;
        using var api = JsonDocument.Parse(await http.GetStringAsync($"/api/projects/{code}/check", TestContext.Current.CancellationToken));
        static HashSet<string> Parcels(IEnumerable<JsonElement> rules) => [.. rules.SelectMany(r => r.GetProperty("offenders").EnumerateArray().Select(o => o.GetString()!))
            .Where(o => o.StartsWith("parcels_", StringComparison.Ordinal))];
        var rules = api.RootElement.GetProperty("rules").EnumerateArray().ToList();
        var all = Parcels(rules.Where(r => r.GetProperty("verdict").GetString() is "fail" or "warn"));
        var r01 = Parcels(rules.Where(r => r.GetProperty("id").GetString() == "R01"));
        Assert.NotEmpty(r01);

        var page = await NewPageAsync();
        await page.GotoAsync($"/projects/{code}/check");
        await Expect(page.Locator("#check")).ToHaveAttributeAsync("data-ready", "true");
        await Expect(page.Locator("#map")).ToHaveAttributeAsync("data-rendered", "true");
        await Expect(page.Locator("#offender-count")).ToHaveTextAsync($"共 {all.Count} 个问题图斑");

        await page.ClickAsync("button[data-show='R01']");
        await Expect(page.Locator("#offender-count")).ToHaveTextAsync($"共 {r01.Count} 个问题图斑");
        // The parcels R01 names are drawn filled on the map: some of them are among the features the view shows.
        const string shownInView = """
            () => { const m = window.fuchunMap; const s = window.fuchunCheckState; const extent = m.getView().calculateExtent(m.getSize()); let n = 0;
              for (const l of m.getAllLayers()) if (l.getVisible() && l.getFeaturesInExtent) for (const f of l.getFeaturesInExtent(extent)) if (s.shown.get(s.phase)?.has(f.get('id'))) n++;
              return n; }
            """;
        await page.WaitForFunctionAsync($"() => ({shownInView})() > 0", null, new() { Timeout = 30_000 });

        // The same report on the as-built layer (at acceptance) is a link away.
        await Expect(page.Locator("#layer-as-built")).ToHaveAttributeAsync("href", $"/projects/{code}/check?layer=parcels_as_built");
    }

    [Fact]
    public async Task ProjectPage_NamesTheGateOfItsStage_AndShowsWhyTheMoveIsRefused()
    {
        const string code = "330113-2025-018";   // in plan review, with failing rules
        var page = await NewPageAsync();
        await page.GotoAsync($"/projects/{code}");
        await Expect(page.Locator("#gate-note")).ToContainTextAsync("实施方案审查");
        await Expect(page.Locator("#gate-check")).ToHaveAttributeAsync("href", $"/projects/{code}/check");
        await Expect(page.Locator("#waiver-field")).ToBeVisibleAsync();
        await page.ClickAsync("#advance");
        await Expect(page.Locator("#stage-error")).ToContainTextAsync("R01", new() { Timeout = 60_000 });

        // Plan review is the city's: the district's officer is told so.
        var district = await NewPageAsync("test.xiaoshan");
        await district.GotoAsync($"/projects/{code}");
        await Expect(district.Locator("#stage-owner")).ToContainTextAsync("本阶段由市局办理，当前账号不能推进或退回");
        await Expect(district.Locator("#advance")).ToBeDisabledAsync();
        await Expect(district.Locator("#send-back")).ToBeDisabledAsync();
        await Expect(page.Locator("#stage-owner")).ToHaveTextAsync("本阶段由市局办理。");

        // Leaving plan review needs the review's opinion on file: the page says so, and takes it.
        await Expect(page.Locator("#documents-required li[data-kind='plan_review_opinion']")).ToHaveTextAsync("推进到“实施”须先上传：实施方案审查意见");
        await Expect(page.Locator("#document-kind")).ToHaveValueAsync("plan_review_opinion");
        await page.SetInputFilesAsync("#document-file", new FilePayload { Name = "审查意见.pdf", MimeType = "application/pdf", Buffer = Testing.DocumentFixtures.Pdf });
        await page.ClickAsync("#document-submit");
        await Expect(page.Locator("#documents tbody tr[data-kind='plan_review_opinion'] a")).ToHaveTextAsync("审查意见.pdf");
        await Expect(page.Locator("#documents-required li[data-kind='plan_review_opinion']")).ToHaveClassAsync("ok");

        // The city bureau, signed in on the page, waives the gate with a reason: the project moves on, the waiver is in its history.
        await page.FillAsync("#stage-waiver", "新增耕地在相邻项目统筹，市局同意先行实施");
        await page.ClickAsync("#advance");
        await Expect(page.Locator("#project-stage")).ToHaveTextAsync("实施", new() { Timeout = 60_000 });
        await page.ReloadAsync();
        await Expect(page.Locator("#history")).ToContainTextAsync("关口核查：实施方案审查");
        await Expect(page.Locator("#history")).ToContainTextAsync("新增耕地在相邻项目统筹");
        await Expect(page.Locator("#package-gpkg")).ToHaveAttributeAsync("href", $"/api/projects/{code}/package?format=gpkg");
    }

    [Fact]
    public async Task PackageUpload_FromTheList_CreatesTheProject()
    {
        var http = server.Client;
        var path = Path.Combine(Path.GetTempPath(), $"fuchun-ui-package-{Guid.NewGuid():N}.gpkg");
        try
        {
            await File.WriteAllBytesAsync(path, await http.GetByteArrayAsync("/api/projects/330127-2025-009/package?format=gpkg", TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=false"))
            {
                await connection.OpenAsync(TestContext.Current.CancellationToken);
                await using var update = connection.CreateCommand();
                update.CommandText = "UPDATE project SET json = json_set(json, '$.id', '330127-2025-909', '$.name', '界面导入的项目包')";
                await update.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            var page = await NewPageAsync();
            await page.GotoAsync("/");
            await page.SetInputFilesAsync("#package-file", path);
            await page.ClickAsync("#package-submit");
            await Expect(page.Locator("#package-result.ok")).ToContainTextAsync("330127-2025-909 界面导入的项目包", new() { Timeout = 60_000 });
            await Expect(page.Locator("#package-project")).ToHaveAttributeAsync("href", "/projects/330127-2025-909");
            await page.GotoAsync("/projects/330127-2025-909");
            await Expect(page.Locator("#history")).ToContainTextAsync("导入项目包");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task LayerUpload_FromTheProjectPage_ReplacesTheLayer_OrListsTheProblems()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/projects/330106-2024-020");
        await page.Locator("#layers tbody tr[data-kind='parcels_before']").WaitForAsync(new() { Timeout = 30_000 });

        // A layer with a hole in the middle: refused, the problem named.
        await page.SelectOptionAsync("#upload-kind", "parcels_as_built");
        await page.SetInputFilesAsync("#upload-file", new FilePayload { Name = "gap.geojson", MimeType = "application/geo+json", Buffer = Grid(skipMiddle: true) });
        await page.ClickAsync("#upload-submit");
        await Assertions.Expect(page.Locator("#upload-result.error")).ToContainTextAsync("缝隙", new() { Timeout = 30_000 });

        // A good one: taken, and the table shows it with its download links.
        await page.SetInputFilesAsync("#upload-file", new FilePayload { Name = "built.geojson", MimeType = "application/geo+json", Buffer = Grid(skipMiddle: false) });
        await page.ClickAsync("#upload-submit");
        await Assertions.Expect(page.Locator("#upload-result.ok")).ToContainTextAsync("已上传：9 个图斑", new() { Timeout = 30_000 });
        var row = page.Locator("#layers tbody tr[data-kind='parcels_as_built']");
        await Assertions.Expect(row).ToContainTextAsync("竣工");
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("9");
        await Assertions.Expect(row.Locator("a", new() { HasText = "GeoPackage" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("parcels_as_built/export\\?format=gpkg"));

        static byte[] Grid(bool skipMiddle)
        {
            static string X(int i) => (120.05 + (i * 0.0005)).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            static string Y(int j) => (30.28 + (j * 0.0005)).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            var cells = Enumerable.Range(0, 9).Where(k => !skipMiddle || k != 4).Select(k => (i: k % 3, j: k / 3)).Select(c =>
                "{\"type\":\"Feature\",\"properties\":{\"DLBM\":\"0101\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[" +
                $"[{X(c.i)},{Y(c.j)}],[{X(c.i + 1)},{Y(c.j)}],[{X(c.i + 1)},{Y(c.j + 1)}],[{X(c.i)},{Y(c.j + 1)}],[{X(c.i)},{Y(c.j)}]" + "]]}}");
            return System.Text.Encoding.UTF8.GetBytes("{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", cells) + "]}");
        }
    }

    [Fact]
    public async Task ListFilters_NarrowTheTable()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.Locator("#projects tbody tr")).ToHaveCountAsync(20);

        // The demo has two projects in Chun'an; a parallel test may import a third there, so the
        // check is that only Chun'an rows remain and both demo projects are among them.
        await page.SelectOptionAsync("#f-district", "330127");
        var rows = page.Locator("#projects tbody tr");
        await Expect(rows.Filter(new() { HasNotText = "淳安县" })).ToHaveCountAsync(0);
        await Expect(rows.Filter(new() { HasText = "330127-2025-009" })).ToHaveCountAsync(1);
        await Expect(rows.Filter(new() { HasNotText = "淳安县" })).ToHaveCountAsync(0);
        var count = await rows.CountAsync();
        Assert.InRange(count, 2, 3);
        Assert.Contains("district=330127", page.Url, StringComparison.Ordinal);

        // The city's to-do list heads the page (a project in plan review stays there: its gate fails), with a badge.
        await Expect(page.Locator("#inbox li[data-code='330182-2023-010']")).ToContainTextAsync("实施方案审查");
        await Expect(page.Locator("#nav-inbox")).ToContainTextAsync("待办");
    }

    [Fact]
    public async Task SignIn_WithAHandedOverPassword_AsksForANewOne_ThenShowsWhoIsSignedIn()
    {
        string initial;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<Storage.Governance.AccountService>();
            initial = (await accounts.AddAsync("web.newcomer", "富阳新同事", [Domain.Governance.Role.DistrictOfficer], "330111", cancellationToken: TestContext.Current.CancellationToken)).InitialPassword;
        }

        var page = await AnonymousPageAsync();
        await page.GotoAsync("/projects/330111-2025-003");
        await page.WaitForURLAsync("**/signin?return=%2Fprojects%2F330111-2025-003");
        await page.FillAsync("#signin-user", "web.newcomer");
        await page.FillAsync("#signin-password", initial + "typo");
        await page.ClickAsync("#signin-submit");
        await Expect(page.Locator("#signin-result.error")).ToHaveTextAsync("用户名或密码不正确。");

        await page.FillAsync("#signin-password", initial);
        await page.ClickAsync("#signin-submit");
        await Expect(page.Locator("#change-form")).ToBeVisibleAsync();
        await Expect(page.Locator("#change-first")).ToBeVisibleAsync();
        await page.FillAsync("#change-new", "fuyang1");
        await page.FillAsync("#change-confirm", "fuyang1");
        await page.ClickAsync("#change-submit");
        await Expect(page.Locator("#signin-result.error")).ToContainTextAsync("8–128");
        await page.FillAsync("#change-new", "Fuyang-Newcomer-1");
        await page.FillAsync("#change-confirm", "Fuyang-Newcomer-1");
        await page.ClickAsync("#change-submit");

        await page.WaitForURLAsync("**/projects/330111-2025-003");
        await Expect(page.Locator("#who")).ToHaveTextAsync("富阳新同事（区县经办人）");
        await Expect(page.Locator("#nav-new")).ToBeVisibleAsync();
        await Expect(page.Locator("#nav-audit")).ToHaveCountAsync(0);
        await Expect(page.Locator("#project-stage")).Not.ToBeEmptyAsync();

        await page.ClickAsync("#sign-out");
        await page.WaitForURLAsync("**/signin");
        // Signed out in this browser: a fresh tab (the old one's late requests may still be redirecting it) is sent
        // to sign in by the server itself.
        var fresh = await page.Context.NewPageAsync();
        var answer = await fresh.GotoAsync("/");
        Assert.EndsWith("/signin?return=%2F", fresh.Url, StringComparison.Ordinal);
        Assert.Equal(302, (await answer!.Request.RedirectedFrom!.ResponseAsync())!.Status);
    }

    [Fact]
    public async Task AuditViewer_SearchesTheTrail_AndExportsWhatItShows()
    {
        var page = await NewPageAsync("test.auditadmin");
        await page.GotoAsync("/audit");
        await Expect(page.Locator("#who")).ToContainTextAsync("审计管理员");
        await Expect(page.Locator("#nav-new")).ToHaveCountAsync(0);
        await Expect(page.Locator("#audit tbody tr").First).ToBeVisibleAsync();

        await page.FillAsync("#a-action", "signin.");
        await page.FillAsync("#a-actor", "test.auditadmin");
        await page.ClickAsync("#a-search");
        // The table is redrawn when the answer comes: wait until only sign-ins of this account are left.
        await Expect(page.Locator("#audit tbody tr").Filter(new() { HasNotText = "signin." })).ToHaveCountAsync(0);
        await Expect(page.Locator("#audit tbody tr").Filter(new() { HasNotText = "test.auditadmin" })).ToHaveCountAsync(0);
        await Expect(page.Locator("#audit tbody tr code").First).ToHaveTextAsync("signin.succeeded");
        var actions = await page.Locator("#audit tbody tr code").AllTextContentsAsync();
        Assert.All(actions, a => Assert.StartsWith("signin.", a, StringComparison.Ordinal));
        await Expect(page.Locator("#a-export")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("export\\.csv\\?actor=test.auditadmin&action=signin\\."));

        // Another role reaches the page's address but not the trail.
        var city = await NewPageAsync();
        await city.GotoAsync("/audit");
        await Expect(city.Locator("#alert")).ToContainTextAsync("无权");
        await Expect(city.Locator("#audit tbody tr")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Approval_WaitsForTheLeadingGroupsApprovalOfTheAnnualPlan_OnThePlansPage()
    {
        const string code = "330109-2025-012";   // in survey, listed in Xiaoshan's submitted plan for this year
        var year = Domain.Planning.PlanRules.YearOf(DateTimeOffset.UtcNow);
        var plan = $"330109-ND-{year}";

        var district = await NewPageAsync("test.xiaoshan-plans");
        await district.GotoAsync($"/projects/{code}");
        await Expect(district.Locator("#stage-owner")).ToHaveTextAsync("本阶段由区县经办人办理。");
        await district.ClickAsync("#advance");
        await Expect(district.Locator("#stage-error")).ToContainTextAsync($"未列入 330109 {year} 年度已批准的年度实施计划", new() { Timeout = 60_000 });

        // The district's officer sees the plan waiting, and cannot approve it.
        await district.GotoAsync("/plans");
        var row = district.Locator($"#plans tbody tr[data-code='{plan}']");
        await Expect(row).ToHaveAttributeAsync("data-status", "Submitted");
        await Expect(row.Locator("button[data-action='approve']")).ToHaveCountAsync(0);
        await Expect(district.Locator("#plans tbody tr[data-code^='330111-']")).ToHaveCountAsync(0);

        // The leading group's reviewer approves it on the page.
        var reviewer = await NewPageAsync("test.leadinggroup");
        await reviewer.GotoAsync("/plans");
        var pending = reviewer.Locator($"#plans tbody tr[data-code='{plan}']");
        await Expect(pending.Locator("td").Nth(8)).ToHaveTextAsync("市土地综合整治工作领导小组");
        await pending.Locator("button[data-action='approve']").ClickAsync();
        await Expect(pending).ToHaveAttributeAsync("data-status", "Approved");
        await Expect(pending).ToContainTextAsync("test.leadinggroup");

        // Now the project passes 立项, once its approval reply is filed.
        await district.GotoAsync($"/projects/{code}");
        await Expect(district.Locator("#stage-owner")).ToHaveTextAsync("本阶段由区县经办人办理。");
        await district.ClickAsync("#advance");
        await Expect(district.Locator("#stage-error")).ToContainTextAsync("须先上传：立项批复", new() { Timeout = 60_000 });
        await district.SetInputFilesAsync("#document-file", new FilePayload { Name = "立项批复.pdf", MimeType = "application/pdf", Buffer = Testing.DocumentFixtures.Pdf });
        await district.ClickAsync("#document-submit");
        await Expect(district.Locator("#documents tbody tr[data-kind='approval_reply']")).ToHaveCountAsync(1);
        await district.ClickAsync("#advance");
        await Expect(district.Locator("#project-stage")).ToHaveTextAsync("立项", new() { Timeout = 60_000 });
    }
}
