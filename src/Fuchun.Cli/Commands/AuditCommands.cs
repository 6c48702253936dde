using System.CommandLine;
using System.Globalization;
using Fuchun.Domain.Governance;
using Fuchun.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Cli.Commands;

/// <summary><c>fuchun audit verify</c> walks the audit trail's hash chain and says where it is broken; <c>fuchun audit prune</c> removes entries beyond the retention period.</summary>
internal static class AuditCommands
{
    public static Command Build()
    {
        var command = new Command("audit", "审计留痕：逐条校验哈希链");
        var database = CommonOptions.Database();
        var verify = new Command("verify", "校验审计记录的哈希链：找出被修改、删除或调换顺序的记录并指出位置；链完整时退出码 0，否则 1") { database };
        verify.SetAction(async (parse, ct) =>
        {
            var (services, scope) = await CommonOptions.OpenAsync(parse.GetValue(database), ct);
            await using (services)
            await using (scope)
            {
                var db = scope.ServiceProvider.GetRequiredService<FuchunDbContext>();
                var entries = await db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ThenBy(e => e.Id).ToListAsync(ct);
                var findings = AuditChain.Verify(entries);
                var output = parse.InvocationConfiguration.Output;
                if (findings.Count == 0)
                {
                    output.WriteLine(entries.Count == 0
                        ? "审计记录 0 条。"
                        : string.Create(CultureInfo.InvariantCulture, $"审计记录 {entries.Count} 条，哈希链完整；最后一条为第 {entries[^1].Sequence} 条，哈希 {entries[^1].Hash}（请另行保存，以便发现末尾被删除的记录）。"));
                    return 0;
                }

                foreach (var f in findings)
                {
                    parse.InvocationConfiguration.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"第 {f.Sequence} 条：{f.Kind switch
                    {
                        AuditBreak.Edited => "内容与其哈希不符，记录被修改（或被挪动了位置）",
                        AuditBreak.Missing => "之前缺少记录（序号不连续），有记录被删除",
                        _ => "与前一条记录的哈希不衔接，记录被调换或替换",
                    }}"));
                }

                parse.InvocationConfiguration.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"审计记录 {entries.Count} 条，哈希链有 {findings.Count} 处断裂。"));
                return 1;
            }
        });
        var pruneDatabase = CommonOptions.Database();
        var days = new Option<int>("--retention-days")
        {
            Description = $"保存期限（天），不少于 {Storage.Governance.AuditRetention.MinimumDays}；默认取配置 Fuchun:Audit:RetentionDays，未配置为 {Storage.Governance.AuditRetention.DefaultDays}",
            DefaultValueFactory = _ => int.TryParse(Environment.GetEnvironmentVariable("Fuchun__Audit__RetentionDays"), out var d) ? d : Storage.Governance.AuditRetention.DefaultDays,
        };
        var prune = new Command("prune", "删除超过保存期限的审计记录（最新一条始终保留）；删除本身记一条审计记录，校验仍可证明其余记录完整") { pruneDatabase, days };
        prune.SetAction(async (parse, ct) =>
        {
            var (services, scope) = await CommonOptions.OpenAsync(parse.GetValue(pruneDatabase), ct);
            await using (services)
            await using (scope)
            {
                try
                {
                    var removed = await scope.ServiceProvider.GetRequiredService<Storage.Governance.AuditRetention>().PruneAsync(parse.GetValue(days), ct);
                    parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"已删除超过 {parse.GetValue(days)} 天的审计记录 {removed} 条。"));
                    return 0;
                }
                catch (Domain.Projects.DomainValidationException ex)
                {
                    parse.InvocationConfiguration.Error.WriteLine(ex.Errors[0].Message);
                    return 2;
                }
            }
        });
        command.Subcommands.Add(verify);
        command.Subcommands.Add(prune);
        return command;
    }
}
