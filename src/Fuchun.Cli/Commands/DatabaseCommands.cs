using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Fuchun.Storage;
using Fuchun.Storage.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Cli.Commands;

/// <summary><c>fuchun db migrate</c> and <c>fuchun db seed</c>.</summary>
internal static class DatabaseCommands
{
    public static Command Build()
    {
        var db = new Command("db", "数据库：创建、迁移和填充演示数据");

        var migrateDatabase = CommonOptions.Database();
        var migrate = new Command("migrate", "创建数据库（如不存在）并执行全部迁移") { migrateDatabase };
        migrate.SetAction(async (parse, ct) =>
        {
            var (services, scope) = await CommonOptions.OpenAsync(parse.GetValue(migrateDatabase), ct);
            await using (services)
            await using (scope)
            {
                var settings = scope.ServiceProvider.GetRequiredService<DatabaseSettings>();
                parse.InvocationConfiguration.Output.WriteLine($"数据库已是最新：{settings.Describe()}");
            }

            return 0;
        });

        var seedDatabase = CommonOptions.Database();
        var noProjects = new Option<bool>("--no-projects") { Description = "只填充区县和乡镇，不生成演示项目" };
        var seed = new Command("seed", "数据库为空时填充演示城市（13 个区县、191 个乡镇和演示项目）") { seedDatabase, noProjects };
        seed.SetAction(async (parse, ct) =>
        {
            var (services, scope) = await CommonOptions.OpenAsync(parse.GetValue(seedDatabase), ct);
            await using (services)
            await using (scope)
            {
                var stopwatch = Stopwatch.StartNew();
                var seeded = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(!parse.GetValue(noProjects), cancellationToken: ct);
                parse.InvocationConfiguration.Output.WriteLine(seeded
                    ? string.Create(CultureInfo.InvariantCulture, $"已填充演示数据（{stopwatch.Elapsed.TotalSeconds:0.0} 秒）")
                    : "数据库已有数据，未作改动");
            }

            return 0;
        });

        db.Subcommands.Add(migrate);
        db.Subcommands.Add(seed);
        return db;
    }
}
