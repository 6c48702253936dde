using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fuchun.Domain.Governance;
using Microsoft.AspNetCore.Routing;

namespace Fuchun.Server.Tests;

/// <summary>
/// The full matrix of the governance issue: every endpoint the platform serves × every role (and nobody) × a project
/// of the account's own district and one of another. What each endpoint demands is written here, independently of
/// the server's own declarations; an endpoint missing from this table fails the test, so a new endpoint cannot slip
/// in unreviewed. Allowed requests must not be refused; refused ones must be refused the right way: 401 without an
/// account, 403 for a role that may not, 404 for another district's project (its existence is not revealed).
/// Changing requests carry bodies that cannot be applied, so that nothing changes whoever is allowed.
/// </summary>
public sealed class AccessMatrixTests(DemoServer server)
{
    private const string OwnDistrict = "330111";
    private const string OwnProject = "330111-2025-003";
    private const string OtherProject = "330106-2024-020";
    private const string OwnTownship = "330111200";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Who may use an endpoint: nobody needs to sign in, any account, or the holders of a capability.</summary>
    private sealed record Rule(string? Anyone = null, Capability? Needs = null, Role[]? OnlyRoles = null, bool Districted = false)
    {
        public static readonly Rule Open = new(Anyone: "anonymous");
        public static readonly Rule SignedIn = new(Anyone: "signed-in");

        public static Rule Project(Capability capability) => new(Needs: capability, Districted: true);

        public static Rule City(Capability capability) => new(Needs: capability);

        public bool Allows(Role? role) => Anyone switch
        {
            "anonymous" => true,
            "signed-in" => role is not null,
            _ => role is { } r && (OnlyRoles?.Contains(r) ?? Capabilities.Allows([r], Needs!.Value)),
        };
    }

    private static readonly Dictionary<string, Rule> Expected = new()
    {
        ["GET /signin"] = Rule.Open,
        ["GET /openapi/{documentName}.json"] = Rule.Open,
        ["GET /api/session/"] = Rule.Open,
        ["POST /api/session/"] = Rule.Open,
        ["DELETE /api/session/"] = Rule.SignedIn,
        ["POST /api/session/password"] = Rule.SignedIn,
        ["GET /"] = Rule.SignedIn,
        ["GET /audit"] = Rule.SignedIn,
        ["GET /projects/new"] = Rule.SignedIn,
        ["GET /projects/{code}"] = Rule.SignedIn,
        ["GET /projects/{code}/edit"] = Rule.SignedIn,
        ["GET /projects/{code}/analysis"] = Rule.SignedIn,
        ["GET /projects/{code}/check"] = Rule.SignedIn,
        ["GET /api/inbox"] = Rule.SignedIn,
        ["GET /api/districts"] = Rule.SignedIn,
        ["GET /api/districts/{code}/townships"] = Rule.SignedIn,
        ["GET /api/districts/{code}/boundary"] = Rule.SignedIn,
        ["GET /api/land-classes"] = Rule.SignedIn,
        ["GET /api/stages"] = Rule.SignedIn,
        ["GET /api/config"] = Rule.SignedIn,
        ["GET /api/accounts/"] = new(OnlyRoles: [Role.SystemAdministrator, Role.SecurityAdministrator]),
        ["POST /api/accounts/"] = Rule.City(Capability.ManageAccounts),
        ["POST /api/accounts/{userName}/password"] = Rule.City(Capability.ManageAccounts),
        ["POST /api/accounts/{userName}/disable"] = Rule.City(Capability.ManageAccounts),
        ["PUT /api/accounts/{userName}/roles"] = Rule.City(Capability.GrantRoles),
        ["GET /api/audit/"] = Rule.City(Capability.ReadAudit),
        ["GET /api/audit/export.csv"] = Rule.City(Capability.ReadAudit),
        ["GET /api/projects/"] = Rule.City(Capability.ReadProjects),
        ["POST /api/projects/"] = Rule.City(Capability.EditProjects),
        ["POST /api/packages"] = Rule.City(Capability.EditProjects),
        ["GET /api/projects/{code}"] = Rule.Project(Capability.ReadProjects),
        ["PUT /api/projects/{code}"] = Rule.Project(Capability.EditProjects),
        ["PUT /api/projects/{code}/geometry"] = Rule.Project(Capability.EditProjects),
        ["POST /api/projects/{code}/stage"] = Rule.Project(Capability.MoveStages),
        ["GET /api/projects/{code}/history"] = Rule.Project(Capability.ReadProjects),
        ["POST /api/projects/{code}/provincial-approval"] = new(OnlyRoles: [Role.CityBureau], Districted: true),
        ["GET /api/projects/{code}/map"] = Rule.Project(Capability.ReadProjects),
        ["GET /api/projects/{code}/layers"] = Rule.Project(Capability.ReadProjects),
        ["POST /api/projects/{code}/layers/{kind}"] = Rule.Project(Capability.EditProjects),
        ["GET /api/projects/{code}/layers/{kind}/export"] = Rule.Project(Capability.ExportData),
        ["GET /api/projects/{code}/analysis/"] = Rule.Project(Capability.ReadProjects),
        ["GET /api/projects/{code}/analysis/blocks/{set}"] = Rule.Project(Capability.ReadProjects),
        ["POST /api/projects/{code}/analysis/accounts"] = Rule.Project(Capability.ReadProjects),
        ["GET /api/projects/{code}/check"] = Rule.Project(Capability.ReadProjects),
        ["GET /api/projects/{code}/check.xlsx"] = Rule.Project(Capability.ExportData),
        ["GET /api/projects/{code}/package"] = Rule.Project(Capability.ExportData),
        ["GET /tiles/{layerId:int}/{z:int}/{x:int}/{y:int}.mvt"] = Rule.Project(Capability.ReadProjects),
        ["GET /api/projects/{code}/documents/"] = Rule.Project(Capability.ReadProjects),
        ["POST /api/projects/{code}/documents/"] = Rule.Project(Capability.MoveStages),
        ["GET /api/projects/{code}/documents/{id:int}"] = Rule.Project(Capability.ExportData),
        ["GET /plans"] = Rule.SignedIn,
        ["GET /api/plans/"] = Rule.City(Capability.ReadProjects),
        ["POST /api/plans/"] = Rule.City(Capability.EditPlans),
        ["GET /api/plans/{code}"] = Rule.Project(Capability.ReadProjects),
        // The plans asked for are district plans: their district writes and submits them, the city bureau records
        // the city government's approval.
        ["PUT /api/plans/{code}"] = new(OnlyRoles: [Role.DistrictOfficer], Districted: true),
        ["POST /api/plans/{code}/submit"] = new(OnlyRoles: [Role.DistrictOfficer], Districted: true),
        ["POST /api/plans/{code}/approve"] = new(OnlyRoles: [Role.CityBureau], Districted: true),
        ["POST /api/plans/{code}/return"] = new(OnlyRoles: [Role.CityBureau], Districted: true),
    };

    /// <summary>
    /// Bodies that bind, for the endpoints whose refusals come from the plan's own rules (who writes, who approves a
    /// level) after binding: the plans asked for are approved, so no allowed caller can change them either.
    /// </summary>
    private static readonly Dictionary<string, string> ValidBodies = new()
    {
        ["PUT /api/plans/{code}"] = """{"code":"x","level":"District","name":"改名","districtCode":"330111","parentCode":"HZ-GY-2023","startYear":2023,"endYear":2027}""",
        ["POST /api/plans/{code}/return"] = """{"reason":"矩阵测试"}""",
    };

    private static string Key(RouteEndpoint endpoint, string method) => $"{method} {endpoint.RoutePattern.RawText}";

    private static IEnumerable<string> Methods(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"];

    [Fact]
    public void EveryEndpoint_IsInTheTable_AndTheTableHasNoneThatIsGone()
    {
        var served = server.Endpoints.SelectMany(e => Methods(e).Select(m => Key(e, m))).ToHashSet();
        Assert.Empty(served.Except(Expected.Keys).Order());
        Assert.Empty(Expected.Keys.Except(served).Order());
    }

    [Fact]
    public async Task EveryEndpoint_ForEveryRoleAndDistrict_AnswersAsTheTableSays()
    {
        // One account per role; the district roles are Fuyang's.
        // Nobody signed in, as a browser is: with the anti-forgery token its page was given.
        var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseAddress };
        anonymous.DefaultRequestHeaders.Add("X-CSRF-Token", (await anonymous.GetFromJsonAsync<JsonElement>("/api/session", Ct)).GetProperty("csrfToken").GetString());
        var clients = new List<(string Who, Role? Role, HttpClient Client)> { ("anonymous", null, anonymous) };
        foreach (var role in Enum.GetValues<Role>())
        {
            var districted = role is Role.DistrictOfficer or Role.TownshipOfficer or Role.FieldChief;
            // The township officer's township is one the own project takes in.
            var account = await server.AccountAsync("matrix." + role.Name(), [role], districted ? OwnDistrict : null, role == Role.TownshipOfficer ? OwnTownship : null);
            var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", account.Token);
            clients.Add((role.Name(), role, client));
        }

        var layers = new Dictionary<string, int>();
        var documents = new Dictionary<string, int>();
        foreach (var code in new[] { OwnProject, OtherProject })
        {
            layers[code] = (await server.Client.GetFromJsonAsync<JsonElement>($"/api/projects/{code}/layers", Ct))[0].GetProperty("id").GetInt32();
            using var form = new MultipartFormDataContent { { new ByteArrayContent(Testing.DocumentFixtures.Pdf), "file", "矩阵.pdf" }, { new StringContent("other"), "kind" } };
            using var filed = await server.Client.PostAsync($"/api/projects/{code}/documents", form, Ct);
            documents[code] = (await filed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt32();
        }

        var failures = new List<string>();
        var requests = 0;
        foreach (var endpoint in server.Endpoints.OrderBy(e => e.RoutePattern.RawText, StringComparer.Ordinal))
        {
            foreach (var method in Methods(endpoint))
            {
                var rule = Expected[Key(endpoint, method)];
                foreach (var project in rule.Districted ? new[] { OwnProject, OtherProject } : [OwnProject])
                {
                    var path = Path(endpoint.RoutePattern.RawText!, project, layers[project]).Replace("{id:int}", documents[project].ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
                    foreach (var (who, role, client) in clients)
                    {
                        using var request = new HttpRequestMessage(new HttpMethod(method), path);
                        if (method != "GET" && method != "DELETE")
                        {
                            // Nothing any allowed caller could apply: the request stops at reading its body (a form
                            // without its file, for the uploads).
                            request.Content = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes.Contains("multipart/form-data") == true
                                ? new MultipartFormDataContent { { new StringContent("x"), "note" } }
                                : new StringContent(ValidBodies.GetValueOrDefault(Key(endpoint, method), "{ not json"), System.Text.Encoding.UTF8, "application/json");
                        }

                        using var response = await client.SendAsync(request, Ct);
                        requests++;
                        var status = (int)response.StatusCode;
                        var roleAllows = rule.Allows(role);
                        var districtAllows = !rule.Districted || role is null || project == OwnProject
                            || role is not (Role.DistrictOfficer or Role.TownshipOfficer or Role.FieldChief);
                        var expected = !roleAllows ? (role is null ? (path.StartsWith("/api", StringComparison.Ordinal) || path.StartsWith("/tiles", StringComparison.Ordinal) ? "401" : "302") : "403")
                            : !districtAllows ? "404"
                            : "allowed";
                        var ok = expected switch
                        {
                            "allowed" => status is not (401 or 403 or 404 or 302) && status < 500,
                            _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture) == expected,
                        };
                        if (!ok)
                        {
                            failures.Add($"{method} {path} as {who}: expected {expected}, got {status}");
                        }
                    }
                }
            }
        }

        foreach (var (_, _, client) in clients)
        {
            client.Dispose();
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} requests:\n" + string.Join("\n", failures));
        Assert.True(requests > 500, requests.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A concrete path for a route: the project (or its district's plan), its first layer, a tile over Fuyang, names that exist or cannot.</summary>
    private static string Path(string route, string project, int layer) => route
        .Replace("/api/plans/{code}", "/api/plans/" + (project == OwnProject ? OwnDistrict : "330106") + "-GH-2023", StringComparison.Ordinal)
        .Replace("{layerId:int}", layer.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{z:int}/{x:int}/{y:int}", "12/3420/1677", StringComparison.Ordinal)
        .Replace("/api/districts/{code}", "/api/districts/" + OwnDistrict, StringComparison.Ordinal)
        .Replace("{code}", project, StringComparison.Ordinal)
        .Replace("{kind}", "parcels_before", StringComparison.Ordinal)
        .Replace("{set}", "pbf_after", StringComparison.Ordinal)
        .Replace("{userName}", "matrix-nobody", StringComparison.Ordinal)
        .Replace("{documentName}", "v1", StringComparison.Ordinal);
}
