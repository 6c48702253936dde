using System.Net;
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
            FolderPackageWriter.Write(city.Projects.Single(p => p.Details.Code == code), city.Townships, folder.FullName);
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
    public async Task Analysis_OfAnUnknownProject_IsNotFound()
    {
        using var response = await server.Client.GetAsync("/api/projects/NO-SUCH-PROJECT/analysis", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
