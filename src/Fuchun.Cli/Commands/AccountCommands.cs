using System.CommandLine;
using System.Globalization;
using Fuchun.Domain.Governance;
using Fuchun.Domain.Projects;
using Fuchun.Storage;
using Fuchun.Storage.Governance;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Cli.Commands;

/// <summary>
/// <c>fuchun accounts add|list|password</c> and <c>fuchun tokens issue|revoke</c>: accounts with their roles, and the bearer
/// tokens the API and scripts present. The console is the administrators' tool on the server itself.
/// </summary>
internal static class AccountCommands
{
    public static Command Accounts()
    {
        var command = new Command("accounts", "账号与角色");
        var database = CommonOptions.Database();
        var user = new Argument<string>("USER") { Description = "用户名" };
        var display = new Option<string?>("--name") { Description = "显示名（姓名与单位）" };
        var roles = new Option<string[]>("--role") { Description = "角色：" + string.Join("、", Enum.GetValues<Role>().Select(r => r.Name())) + "；可多次给出", Required = true, AllowMultipleArgumentsPerToken = true };
        var district = new Option<string?>("--district") { Description = "区县、乡镇经办人和田长所属区县（6 位代码）" };
        var township = new Option<string?>("--township") { Description = "乡镇经办人（必填）和田长（可选）所属乡镇（街道）（9 位代码）：只见涉及该乡镇的项目" };
        var add = new Command("add", "新建账号并授予角色") { database, user, display, roles, district, township };
        add.SetAction(async (parse, ct) =>
        {
            var named = (parse.GetValue(roles) ?? []).Select(r => (Name: r, Role: Roles.FromName(r))).ToList();
            if (named.FirstOrDefault(r => r.Role is null) is { Name: { } unknown })
            {
                parse.InvocationConfiguration.Error.WriteLine($"--role: 未知角色“{unknown}”");
                return 1;
            }

            return await WithAsync(parse, database, async services =>
            {
                var (account, password) = await services.GetRequiredService<AccountService>().AddAsync(parse.GetValue(user)!, parse.GetValue(display) ?? "",
                    [.. named.Select(r => r.Role!.Value)], parse.GetValue(district), townshipCode: parse.GetValue(township), cancellationToken: ct);
                parse.InvocationConfiguration.Output.WriteLine($"已新建账号 {account.UserName}（{account.DisplayName}）：{string.Join("、", account.Roles.Select(Storage.Projects.ProjectRegistry.RoleName))}");
                parse.InvocationConfiguration.Output.WriteLine($"初始密码（只显示这一次，首次登录须修改）：{password}");
            });
        });
        var listDatabase = CommonOptions.Database();
        var list = new Command("list", "列出账号与角色") { listDatabase };
        list.SetAction(async (parse, ct) => await WithAsync(parse, listDatabase, async services =>
        {
            foreach (var a in await services.GetRequiredService<FuchunDbContext>().Accounts.AsNoTracking().OrderBy(a => a.UserName).ToListAsync(ct))
            {
                parse.InvocationConfiguration.Output.WriteLine($"{a.UserName}\t{a.DisplayName}\t{string.Join(",", a.Roles.Select(r => r.Name()))}\t{a.DistrictCode}{(a.DisabledAt is null ? "" : "\t已停用")}");
            }
        }));
        var resetDatabase = CommonOptions.Database();
        var resetUser = new Argument<string>("USER") { Description = "用户名" };
        var reset = new Command("password", "重置密码：生成新的初始密码（只显示一次，下次登录须修改），并解除锁定") { resetDatabase, resetUser };
        reset.SetAction(async (parse, ct) => await WithAsync(parse, resetDatabase, async services =>
        {
            var password = await services.GetRequiredService<AccountService>().ResetPasswordAsync(parse.GetValue(resetUser)!, null, ct);
            parse.InvocationConfiguration.Output.WriteLine($"新的初始密码（只显示这一次，下次登录须修改）：{password}");
        }));
        command.Subcommands.Add(add);
        command.Subcommands.Add(list);
        command.Subcommands.Add(reset);
        return command;
    }

    public static Command Tokens()
    {
        var command = new Command("tokens", "API 令牌：签发（只显示一次）与吊销");
        var database = CommonOptions.Database();
        var user = new Argument<string>("USER") { Description = "令牌所属账号" };
        var days = new Option<int>("--days") { Description = "有效天数（1–365）", DefaultValueFactory = _ => 30 };
        var name = new Option<string?>("--name") { Description = "令牌用途说明" };
        var issue = new Command("issue", "为账号签发 API 令牌；令牌只在此显示一次，平台只保存其哈希") { database, user, days, name };
        issue.SetAction(async (parse, ct) => await WithAsync(parse, database, async services =>
        {
            var (token, record) = await services.GetRequiredService<AccountService>().IssueTokenAsync(parse.GetValue(user)!, parse.GetValue(name) ?? "", TimeSpan.FromDays(parse.GetValue(days)), ct);
            parse.InvocationConfiguration.Output.WriteLine(token);
            parse.InvocationConfiguration.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"令牌编号 {record.Id}，有效至 {record.ExpiresAt:yyyy-MM-dd HH:mm} UTC；请求时放在 Authorization: Bearer 之后"));
        }));
        var revokeDatabase = CommonOptions.Database();
        var id = new Argument<int>("TOKEN-ID") { Description = "令牌编号" };
        var revoke = new Command("revoke", "吊销令牌：此后用它的请求一律拒绝") { revokeDatabase, id };
        revoke.SetAction(async (parse, ct) => await WithAsync(parse, revokeDatabase, async services =>
        {
            await services.GetRequiredService<AccountService>().RevokeTokenAsync(parse.GetValue(id), ct);
            parse.InvocationConfiguration.Output.WriteLine($"已吊销令牌 {parse.GetValue(id)}");
        }));
        command.Subcommands.Add(issue);
        command.Subcommands.Add(revoke);
        return command;
    }

    private static async Task<int> WithAsync(ParseResult parse, Option<string?> database, Func<IServiceProvider, Task> work)
    {
        var (services, scope) = await CommonOptions.OpenAsync(parse.GetValue(database), CancellationToken.None);
        await using (services)
        await using (scope)
        {
            try
            {
                await work(scope.ServiceProvider);
                return 0;
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
    }
}
