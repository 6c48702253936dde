using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Fuchun.Domain.Projects;
using Fuchun.Spatial.Area;
using Fuchun.Storage.Projects;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Cli.Commands;

/// <summary><c>fuchun projects list</c>: the registry's list, as a table or JSON.</summary>
internal static class ProjectCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    public static Command Build()
    {
        var projects = new Command("projects", "项目登记");
        var database = CommonOptions.Database();
        var district = new Option<string?>("--district") { Description = "只列出该区县（6 位代码）的项目" };
        var stage = new Option<ProjectStage?>("--stage") { Description = "只列出该阶段的项目（Reserve、SurveyEvaluation、Approval、PlanReview、Implementation、DistrictAcceptance、CityAcceptance、Maintenance）" };
        var pilot = new Option<bool>("--pilot") { Description = "只列出跨乡镇试点项目" };
        var json = new Option<bool>("--json") { Description = "输出 JSON" };
        var list = new Command("list", "列出项目") { database, district, stage, pilot, json };
        list.SetAction(async (parse, ct) =>
        {
            var (services, scope) = await CommonOptions.OpenAsync(parse.GetValue(database), ct);
            await using (services)
            await using (scope)
            {
                var registry = scope.ServiceProvider.GetRequiredService<ProjectRegistry>();
                var result = await registry.ListAsync(new ProjectQuery
                {
                    DistrictCode = parse.GetValue(district),
                    Stage = parse.GetValue(stage),
                    IsPilot = parse.GetValue(pilot) ? true : null,
                    PageSize = ProjectQuery.MaxPageSize,
                }, ct);
                var output = parse.InvocationConfiguration.Output;
                if (parse.GetValue(json))
                {
                    var rows = result.Items.Select(p => new
                    {
                        p.Code, p.Name, p.DistrictCode, p.IsPilot, Stage = p.Stage.ToString(), p.TownshipCodes, p.AreaM2,
                        Zones = p.Zones.Count,
                    });
                    output.WriteLine(JsonSerializer.Serialize(new { total = result.Total, projects = rows }, Json));
                }
                else
                {
                    foreach (var p in result.Items)
                    {
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{p.Code}\t{ProjectRegistry.StageName(p.Stage)}\t{(p.IsPilot ? "试点" : "")}\t{AreaUnits.ToMu(p.AreaM2),10:0.0} 亩\t{p.Name}"));
                    }

                    output.WriteLine($"共 {result.Total} 个项目");
                }
            }

            return 0;
        });
        projects.Subcommands.Add(list);
        return projects;
    }
}
