using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Fuchun.Domain.Governance;
using Fuchun.Domain.Projects;
using Fuchun.Spatial.Area;
using Fuchun.Storage.Projects;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Cli.Commands;

/// <summary><c>fuchun projects list</c> and <c>fuchun projects stage</c>: the registry's list, and the lifecycle.</summary>
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
        projects.Subcommands.Add(Stage());
        return projects;
    }

    /// <summary>
    /// <c>fuchun projects stage CODE --to STAGE</c>: a stage on or back, through the gates of the policy edition. With
    /// <c>--token</c> (or <c>FUCHUN_TOKEN</c>) the operator acts as that token's account, in its roles — which is how a
    /// waiver is granted from the console; without one, as the operating-system user in no role.
    /// </summary>
    private static Command Stage()
    {
        var database = CommonOptions.Database();
        var code = new Argument<string>("CODE") { Description = "项目编号" };
        var target = new Option<ProjectStage>("--to") { Description = "目标阶段（下一阶段，或退回上一阶段）", Required = true };
        var comment = new Option<string?>("--comment") { Description = "说明；退回时必填理由" };
        var waiver = new Option<string?>("--waiver") { Description = "关口有不通过的规则而确需推进时的豁免理由（须以有权豁免的角色提交）" };
        var token = new Option<string?>("--token") { Description = "以该 API 令牌所属账号及其角色操作（默认取环境变量 FUCHUN_TOKEN）；豁免须由有权角色的账号提交" };
        var command = new Command("stage", "推进到下一阶段或退回上一阶段；实施方案审查、区县验收、市级整体验收须通过规则核查关口") { database, code, target, comment, waiver, token };
        command.SetAction(async (parse, ct) =>
        {
            var (services, scope) = await CommonOptions.OpenAsync(parse.GetValue(database), ct);
            await using (services)
            await using (scope)
            {
                // Without a token the operator at the console acts (recorded by name); with one, its account, bound by its roles.
                var actor = Actor.Operator(CommonOptions.Actor);
                if ((parse.GetValue(token) ?? Environment.GetEnvironmentVariable("FUCHUN_TOKEN")) is { Length: > 0 } presented)
                {
                    if (await scope.ServiceProvider.GetRequiredService<Storage.Governance.AccountService>().AuthenticateAsync(presented, ct) is not { } account)
                    {
                        parse.InvocationConfiguration.Error.WriteLine(Domain.Resources.Messages.TokenInvalid());
                        return 1;
                    }

                    actor = new Actor(account.UserName, account.Roles.ToHashSet(), account.DistrictCode);
                    scope.ServiceProvider.GetRequiredService<Storage.FuchunDbContext>().AuditActor = account.UserName;
                }

                try
                {
                    var project = await scope.ServiceProvider.GetRequiredService<ProjectRegistry>()
                        .MoveStageAsync(parse.GetValue(code)!, parse.GetValue(target), parse.GetValue(comment), actor, parse.GetValue(waiver), ct);
                    parse.InvocationConfiguration.Output.WriteLine($"{project.Code} 已进入“{ProjectRegistry.StageName(project.Stage)}”阶段");
                    return 0;
                }
                catch (ProjectNotFoundException ex)
                {
                    parse.InvocationConfiguration.Error.WriteLine(Domain.Resources.Messages.ProjectNotFound(ex.Code));
                    return 1;
                }
                catch (AccessDeniedException ex)
                {
                    parse.InvocationConfiguration.Error.WriteLine(ex.Message);
                    return 1;
                }
                catch (DomainValidationException ex)
                {
                    foreach (var e in ex.Errors)
                    {
                        parse.InvocationConfiguration.Error.WriteLine(e.Message);
                    }

                    return 1;
                }
            }
        });
        return command;
    }
}
