using System.CommandLine;
using Fuchun.Domain.Policy;

namespace Fuchun.Cli.Commands;

/// <summary>
/// <c>fuchun check PACKAGE --json</c>: every rule of 杭政办函〔2023〕21号 on a project package, as the CLI contract in
/// <c>project-package.md</c> says (exit 0 when it ran, whatever the verdicts; 2 for unreadable input); a readable
/// table without <c>--json</c>.
/// </summary>
internal static class CheckCommand
{
    public static Command Build()
    {
        var package = PackageArguments.Package();
        var json = PackageArguments.JsonOption();
        var repair = PackageArguments.RepairOption();
        var command = new Command("check", "政策规则核查：逐条计算杭政办函〔2023〕21号的规则 R01–R16，给出结论、实测值、阈值、依据条款和读法") { package, json, repair };
        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (PackageArguments.Read(parse.GetValue(package)!.FullName, error, p => Tuple.Create(p.ToCheckInput(), p.Id), parse.GetValue(repair)) is not { } read)
            {
                return Task.FromResult(AreaCommand.UnreadableInput);
            }

            var (input, id) = (read.Item1, read.Item2);
            var edition = PolicyEdition.Default;
            var results = PolicyChecker.Check(input, edition);
            if (parse.GetValue(json))
            {
                output.WriteLine(PolicyJson.Write(id, edition, results).ToJsonString(PackageArguments.Json));
                return Task.FromResult(0);
            }

            output.WriteLine($"项目 {id}：{edition.Title}");
            output.WriteLine("规则\t结论\t实测值\t阈值\t说明");
            foreach (var r in results)
            {
                output.WriteLine($"{r.Id} {r.Reading.Paragraph}\t{ComplianceWorkbook.Label(r.Verdict)}\t{ComplianceWorkbook.Shown(r.Value, r.Unit)}\t{ComplianceWorkbook.Shown(r.Threshold, r.Unit)}\t{r.Detail}");
            }

            output.WriteLine(string.Join("，", results.GroupBy(r => r.Verdict).OrderBy(g => g.Key).Select(g => $"{ComplianceWorkbook.Label(g.Key)} {g.Count()} 条")));
            return Task.FromResult(0);
        });
        return command;
    }
}
